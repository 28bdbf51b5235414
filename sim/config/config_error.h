// Diagnostics of the hardware-config loader and the exception that carries them.
//
// Contract: the loader collects every problem it finds (it does not stop at the
// first) as one Diagnostic each, then throws one ConfigError holding them all.
// Each diagnostic prints as one line `FILE:LINE: key.path: what was expected`
// (`FILE: key.path: ...` when no line applies). what() is those lines joined
// by newlines.
#pragma once

#include <string>
#include <vector>

#include "models/error.h"

namespace aimcsim {

// Where a value came from: a file and a 1-based line, or nowhere (a default).
struct SourceLoc {
  std::string file;  // as the user named it (included files: joined to the includer's folder)
  int line = 0;      // 1-based; 0 = no line

  bool is_default() const { return file.empty(); }
  // "file:line", "file" or "default".
  std::string str() const;
};

struct Diagnostic {
  SourceLoc where;
  std::string key;      // dotted key path, or a pseudo key such as "<toml>" or "include"
  std::string message;  // what was expected / what is wrong

  std::string str() const;  // one line, see the file comment
};

class ConfigError : public Error {
 public:
  explicit ConfigError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Collects diagnostics in the order they are found.
class Diagnostics {
 public:
  void add(SourceLoc where, std::string key, std::string message) {
    list_.push_back({std::move(where), std::move(key), std::move(message)});
  }
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  const std::vector<Diagnostic>& list() const { return list_; }
  // Throws ConfigError with everything collected, if anything was.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> list_;
};

}  // namespace aimcsim

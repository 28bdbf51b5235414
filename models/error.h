// Error types shared by every aimcsim library.
//
// Contract: anything wrong with user input (a config, a trace, a checkpoint,
// a mapping, a command-line value) is reported by throwing an aimcsim::Error
// (or a subclass) whose what() is one line that names the file, line or key and
// what was expected. The CLI prints what() and exits non-zero; nothing calls
// exit() or assert() on user input.
#pragma once

#include <stdexcept>
#include <string>

namespace aimcsim {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace aimcsim

// Declaration of one hardware-config parameter: its dotted key path, kind,
// unit, default (or required), range, description, and how it reads and
// writes its field of HardwareConfig. Declared once (param_table.h); the
// loader validates against it and `config dump` / `config keys` print from it.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sim/config/hardware_config.h"

namespace aimcsim {

enum class ParamKind { kInt, kFloat, kBool, kChoice };

// A typed parameter value: kInt -> int64, kFloat -> double, kBool -> bool,
// kChoice -> the chosen name.
using ParamValue = std::variant<std::int64_t, double, bool, std::string>;

struct ParamDecl {
  std::string key;  // dotted key path, e.g. "tile.rows"
  ParamKind kind = ParamKind::kInt;
  std::string unit;                         // "ns", "pJ", "bytes", ... ; empty = dimensionless
  std::optional<ParamValue> default_value;  // nullopt = required
  double min = -std::numeric_limits<double>::infinity();  // numeric kinds only
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;        // range is (min, max] instead of [min, max]
  std::vector<std::string> choices;  // kChoice only
  std::string description;
  std::function<void(HardwareConfig&, const ParamValue&)> set;
  std::function<ParamValue(const HardwareConfig&)> get;

  // Fluent setters for the table: .required(), .def(8), .range(1, 64).
  ParamDecl& required() {
    default_value.reset();
    return *this;
  }
  template <class T>
  ParamDecl& def(T v) {
    if constexpr (std::is_same_v<T, bool>) {
      default_value = v;
    } else if constexpr (std::is_arithmetic_v<T>) {
      if (kind == ParamKind::kFloat) {
        default_value = static_cast<double>(v);
      } else {
        default_value = static_cast<std::int64_t>(v);
      }
    } else {
      default_value = std::string(v);
    }
    return *this;
  }
  ParamDecl& range(double lo, double hi) {
    min = lo;
    max = hi;
    return *this;
  }
  // (lo, hi]: strictly positive quantities.
  ParamDecl& range_above(double lo, double hi) {
    range(lo, hi);
    min_exclusive = true;
    return *this;
  }

  std::string section() const { return key.substr(0, key.find('.')); }
  // "integer", "float", "boolean", or "one of "a", "b"".
  std::string type_text() const;
  // Human-readable range, e.g. ">= 1 and <= 65536"; empty if unbounded.
  std::string range_text() const;
};

// Formats a value as TOML (strings quoted, floats with enough digits to round-trip).
std::string format_param_value(const ParamValue& value);

// --- builders used by the table ------------------------------------------------

// A reference to the field reached from a HardwareConfig by the member pointers.
template <auto... Members>
auto& field_of(HardwareConfig& c) {
  return (c.*....*Members);
}
template <auto... Members>
const auto& field_of(const HardwareConfig& c) {
  return (c.*....*Members);
}

// Name of one enum value in TOML.
template <class E>
struct EnumName {
  E value;
  const char* name;
};

// Declares a numeric or boolean parameter bound to the field at Members.
template <auto... Members>
ParamDecl param(std::string key, std::string unit, std::string description) {
  using T = std::remove_cvref_t<decltype(field_of<Members...>(std::declval<HardwareConfig&>()))>;
  ParamDecl d;
  d.key = std::move(key);
  d.unit = std::move(unit);
  d.description = std::move(description);
  if constexpr (std::is_same_v<T, bool>) {
    d.kind = ParamKind::kBool;
    d.set = [](HardwareConfig& c, const ParamValue& v) {
      field_of<Members...>(c) = std::get<bool>(v);
    };
    d.get = [](const HardwareConfig& c) { return ParamValue{field_of<Members...>(c)}; };
  } else if constexpr (std::is_integral_v<T>) {
    d.kind = ParamKind::kInt;
    d.set = [](HardwareConfig& c, const ParamValue& v) {
      field_of<Members...>(c) = static_cast<T>(std::get<std::int64_t>(v));
    };
    d.get = [](const HardwareConfig& c) {
      return ParamValue{static_cast<std::int64_t>(field_of<Members...>(c))};
    };
  } else {
    static_assert(std::is_floating_point_v<T>, "param<> binds bool, integer or float fields");
    d.kind = ParamKind::kFloat;
    d.set = [](HardwareConfig& c, const ParamValue& v) {
      field_of<Members...>(c) = std::get<double>(v);
    };
    d.get = [](const HardwareConfig& c) { return ParamValue{field_of<Members...>(c)}; };
  }
  return d;
}

// Declares a choice parameter bound to the enum field at Members.
template <auto... Members, class E, std::size_t N>
ParamDecl choice_param(std::string key, const EnumName<E> (&names)[N], std::string description) {
  ParamDecl d;
  d.key = std::move(key);
  d.kind = ParamKind::kChoice;
  d.description = std::move(description);
  std::vector<EnumName<E>> table(names, names + N);
  for (const auto& n : table) d.choices.emplace_back(n.name);
  d.set = [table](HardwareConfig& c, const ParamValue& v) {
    for (const auto& n : table) {
      if (std::get<std::string>(v) == n.name) field_of<Members...>(c) = n.value;
    }
  };
  d.get = [table](const HardwareConfig& c) {
    for (const auto& n : table) {
      if (field_of<Members...>(c) == n.value) return ParamValue{std::string(n.name)};
    }
    return ParamValue{std::string("?")};
  };
  return d;
}

}  // namespace aimcsim

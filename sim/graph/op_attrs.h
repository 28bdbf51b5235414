// Declaration of each op kind's operands and attributes, written once and used
// by the trace reader (parse, reject unknown keys), the trace writer (print),
// shape inference (operand count) and help output.
//
// Contract: every attribute an op kind reads is listed in its OpSignature;
// optional attributes carry their default in trace syntax, and default_attrs()
// applies exactly those defaults.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/graph/op.h"

namespace aimcsim {

// Where an attribute lives in OpAttrs; the member type fixes its syntax:
//   int64  "16"          bool  "true" | "false"       Hw  "3" or "3x5" (HxW)
//   Shape  "1x3x32x32"   perm  "0,2,1,3"
using AttrField = std::variant<std::int64_t OpAttrs::*, bool OpAttrs::*, Hw OpAttrs::*,
                               Shape OpAttrs::*, std::vector<int> OpAttrs::*>;

struct AttrSpec {
  std::string_view name;
  AttrField field;
  bool required = false;
  std::string_view default_text;  // trace syntax; empty when required
  std::string_view help;
};

struct OpSignature {
  int min_inputs = 0;
  int max_inputs = 0;  // -1: unbounded
  std::vector<AttrSpec> attrs;
  std::string_view help;
};

const OpSignature& op_signature(OpKind kind);

// Finds `name` in the kind's signature; nullptr when the kind has no such attribute.
const AttrSpec* find_attr(OpKind kind, std::string_view name);

// OpAttrs with the kind's optional defaults applied (required fields stay zero/empty).
OpAttrs default_attrs(OpKind kind);

// `attrs` with every field the kind does not declare reset to default_attrs(kind),
// so two ops of one kind compare equal exactly when their declared attributes do.
OpAttrs canonical_attrs(OpKind kind, const OpAttrs& attrs);

// Parses `text` into the spec's field. Returns "" on success, otherwise what
// was expected (e.g. "expected true or false").
std::string set_attr(OpAttrs& attrs, const AttrSpec& spec, std::string_view text);

// The field's value in trace syntax.
std::string format_attr(const OpAttrs& attrs, const AttrSpec& spec);

// One-line syntax description of the spec's type ("integer", "HxW or N", ...).
std::string_view attr_syntax(const AttrSpec& spec);

}  // namespace aimcsim

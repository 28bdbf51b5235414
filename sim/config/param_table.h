// The table of every hardware-config parameter, declared once (STYLE.md 3).
// Sections in dump order: tile, device, digital, sram, fabric, energy, run.
// Ranges here are the single source of validation; cross-field rules are in
// hardware_checks.h.
#pragma once

#include <string_view>
#include <vector>

#include "sim/config/param_decl.h"

namespace aimcsim {

// Every declared parameter, in dump order. Built once, never changes.
const std::vector<ParamDecl>& hardware_param_decls();

// The declaration of `key`, or nullptr.
const ParamDecl* find_param_decl(std::string_view key);

// The section names ("tile", "device", ...), in dump order.
const std::vector<std::string>& hardware_config_sections();

// Per-section parts of the table (param_table_*.cpp).
std::vector<ParamDecl> tile_param_decls();
std::vector<ParamDecl> device_param_decls();
std::vector<ParamDecl> digital_param_decls();
std::vector<ParamDecl> memory_param_decls();  // [sram] and [fabric]
std::vector<ParamDecl> energy_param_decls();
std::vector<ParamDecl> run_param_decls();

}  // namespace aimcsim

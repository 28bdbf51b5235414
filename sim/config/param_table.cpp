// Assembles the parameter table from its sections (param_table.h).
#include "sim/config/param_table.h"

namespace aimcsim {

const std::vector<ParamDecl>& hardware_param_decls() {
  static const std::vector<ParamDecl> table = [] {
    std::vector<ParamDecl> all;
    for (auto part : {tile_param_decls(), device_param_decls(), digital_param_decls(),
                      memory_param_decls(), energy_param_decls(), run_param_decls()}) {
      for (auto& d : part) all.push_back(std::move(d));
    }
    return all;
  }();
  return table;
}

const ParamDecl* find_param_decl(std::string_view key) {
  for (const auto& d : hardware_param_decls()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

const std::vector<std::string>& hardware_config_sections() {
  static const std::vector<std::string> sections = [] {
    std::vector<std::string> names;
    for (const auto& d : hardware_param_decls()) {
      if (names.empty() || names.back() != d.section()) names.push_back(d.section());
    }
    return names;
  }();
  return sections;
}

}  // namespace aimcsim

# Common compile settings for every aimcsim target.
add_library(aimcsim_options INTERFACE)
target_compile_options(aimcsim_options INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
# SystemC 2.3.4 from Debian is built for C++17: tell its headers so under C++20.
target_compile_definitions(aimcsim_options INTERFACE
  SC_CPLUSPLUS=201703L SC_INCLUDE_DYNAMIC_PROCESSES
  AIMCSIM_VERSION="${PROJECT_VERSION}")
# The source folder is compiled into the few translation units that need it (the default
# config path, the demo, the tests), not into every object: ccache then shares the
# libraries' objects between clones in other folders (CCACHE_BASEDIR, scripts/common.sh).
add_library(aimcsim_source_dir INTERFACE)
target_compile_definitions(aimcsim_source_dir INTERFACE AIMCSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# aimcsim_library(NAME [PCH header...] DEPS dep...): a static library of every
# .cpp under the calling folder (an INTERFACE library while it has none).
function(aimcsim_library name)
  cmake_parse_arguments(arg "" "" "PCH;DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
    target_link_libraries(${name} PUBLIC aimcsim_options ${arg_DEPS})
    if(arg_PCH)
      target_precompile_headers(${name} PRIVATE ${arg_PCH})
    endif()
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE "${PROJECT_SOURCE_DIR}")
    target_link_libraries(${name} INTERFACE aimcsim_options ${arg_DEPS})
  endif()
endfunction()

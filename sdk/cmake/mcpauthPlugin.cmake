# mcpauth_add_plugin(<target> SOURCES <files>... [OUTPUT_DIRECTORY <dir>] [LINK_LIBRARIES <libs>...])
#
# Builds an mcpauth plugin: a shared library named <target>.so that exports only the ABI entry
# symbol (everything else stays hidden, so plugins cannot clash with the host or each other).
function(mcpauth_add_plugin target)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY" "SOURCES;LINK_LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE mcpauth::sdk ${P_LINK_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${MCPAUTH_PLUGIN_EXPORT_MAP})
  target_link_options(${target} PRIVATE "LINKER:--version-script=${MCPAUTH_PLUGIN_EXPORT_MAP}" "LINKER:--no-undefined")
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY})
  endif()
endfunction()

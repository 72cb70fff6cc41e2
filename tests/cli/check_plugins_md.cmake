# Fails when config/PLUGINS.md differs from what `mcpauth config schema` prints for the shipped
# plugins, showing the difference and the command that regenerates it.
# cmake -DMCPAUTH=<mcpauth binary> -DPLUGIN_DIR=<shipped plugin dir> -DCOMMITTED=<config/PLUGINS.md>
#       -DGENERATED=<scratch file> -P check_plugins_md.cmake
execute_process(COMMAND ${MCPAUTH} --plugin-dir ${PLUGIN_DIR} config schema
  OUTPUT_FILE ${GENERATED} ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mcpauth config schema failed (${status}): ${errors}")
endif()
if(errors)
  message(FATAL_ERROR "mcpauth config schema warned (a plugin was refused?): ${errors}")
endif()
# diff writes straight to the test's output: message() would rewrap its lines.
execute_process(COMMAND diff -u ${COMMITTED} ${GENERATED} RESULT_VARIABLE differs)
if(NOT differs EQUAL 0)
  message(FATAL_ERROR "config/PLUGINS.md is not what `mcpauth config schema` prints for the shipped plugins "
    "(the diff above). Regenerate it in the source directory, from a build with only the shipped plugins: "
    "build/bin/mcpauth config schema > config/PLUGINS.md")
endif()

# oauth21_credentials_probe: not a test itself; end-to-end tests run several of it at once against
# one store to check that the oauth21 plugin refreshes single-flight. Included by
# tests/oauth21/CMakeLists.txt.
add_executable(oauth21_credentials_probe ${CMAKE_CURRENT_LIST_DIR}/credentials_probe.cpp)
target_link_libraries(oauth21_credentials_probe PRIVATE mcpauth_core mcpauth_config Poco::JSON Poco::Foundation)

// Guards the stable ABI: the header may not change unless its version changes with it.
#include <mcpauth/plugin_abi.h>

#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <cstddef>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace {

// When plugin_abi.h changes: append only (bump MCPAUTH_ABI_MINOR) or break (bump the major and
// the entry symbol), then record the new version's hash here. Never edit an existing line.
struct RecordedHeader {
  unsigned major, minor;
  const char* sha256;
};
constexpr RecordedHeader kRecorded[] = {
    {1, 0, "070a413bc20ac438580ebc88aec540a9fd6212646116a56b89845ee5501f2190"},
    {1, 1, "fdcb9901619a68b245a7e338aa883b78bb3f977db667573d444b9a3734d83521"},
};

std::string sha256_of_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(content.data(), content.size(), digest, &length, EVP_sha256(), nullptr) == 1);
  std::ostringstream hex;
  for (unsigned int i = 0; i < length; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(digest[i]);
  return hex.str();
}

}  // namespace

TEST_CASE("plugin_abi.h has not changed without a version bump") {
  const RecordedHeader* current = nullptr;
  for (const auto& recorded : kRecorded)
    if (recorded.major == MCPAUTH_ABI_MAJOR && recorded.minor == MCPAUTH_ABI_MINOR) current = &recorded;
  INFO("no hash recorded for ABI " << MCPAUTH_ABI_MAJOR << "." << MCPAUTH_ABI_MINOR);
  REQUIRE(current != nullptr);
  INFO("plugin_abi.h changed but MCPAUTH_ABI_MAJOR/MINOR did not: bump the version and record the new hash");
  CHECK(sha256_of_file(ABI_HEADER) == current->sha256);
}

// The 1.0 layout on LP64 (x86_64, aarch64). A later minor may add members at the ends only, so
// these offsets hold forever for major 1.
static_assert(sizeof(void*) == 8, "layout checks below are for LP64");
static_assert(sizeof(mcpauth_error) == 1024);
static_assert(offsetof(mcpauth_negotiation, host) == 16 && offsetof(mcpauth_negotiation, descriptor) == 24);
static_assert(offsetof(mcpauth_plugin_descriptor, id) == 16);
static_assert(offsetof(mcpauth_plugin_descriptor, kinds) == 40);
static_assert(offsetof(mcpauth_plugin_descriptor, config_schema) == 48);
static_assert(offsetof(mcpauth_plugin_descriptor, create) == 56);
static_assert(offsetof(mcpauth_plugin_descriptor, storage) == 80);
static_assert(offsetof(mcpauth_host_api, alloc) == 16);
static_assert(offsetof(mcpauth_host_api, storage_unlock) == 136);
static_assert(offsetof(mcpauth_auth_api, get_credentials) == 8 && offsetof(mcpauth_auth_api, status) == 56);
static_assert(offsetof(mcpauth_storage_api, get) == 8 && offsetof(mcpauth_storage_api, metadata) == 56);
static_assert(offsetof(mcpauth_instance_args, ctx) == 32 && offsetof(mcpauth_instance_args, kind) == 40);
static_assert(offsetof(mcpauth_http_request, max_response_bytes) == 64);
static_assert(offsetof(mcpauth_http_response, final_url) == 48);
static_assert(offsetof(mcpauth_begin_auth_args, extra_scopes) == 32);
static_assert(offsetof(mcpauth_authorization, pending) == 40);

// Appended in 1.1.
static_assert(offsetof(mcpauth_auth_api, store_token) == 64 && sizeof(mcpauth_auth_api) == 72);
static_assert(offsetof(mcpauth_host_api, count_event) == 144 && sizeof(mcpauth_host_api) == 152);

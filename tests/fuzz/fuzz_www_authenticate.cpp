// WWW-Authenticate header values (plugins/oauth21/www_authenticate.cpp and read_challenge of
// discovery.cpp): never throws, and every challenge has a scheme.
#include "discovery.h"
#include "www_authenticate.h"

#include <cstdlib>

using namespace mcpauth::oauth21;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string header(reinterpret_cast<const char*>(data), size);
  const std::vector<Challenge> challenges = parse_www_authenticate(header);
  for (const Challenge& challenge : challenges)
    if (challenge.scheme.empty()) std::abort();
  find_bearer(challenges);
  read_challenge(header);
  return 0;
}

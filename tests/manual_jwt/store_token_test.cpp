// store_token: what is accepted, and every refusal with its message, which never holds the token.
#include "support.h"

#include "mcpauth/core/redact.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace manual_jwt_test;

namespace {

struct Refusal {
  std::string what;  // the case, for the report
  std::string token;
  std::string metadata;
  std::string message;  // expected part of the message
};

// Stores must fail with INVALID_ARGUMENT and the expected message, quote no part of the token,
// and leave nothing in storage.
void check_refusals(Server& server, const std::vector<Refusal>& refusals) {
  for (const Refusal& refusal : refusals) {
    INFO(refusal.what);
    PluginError error = error_of([&] { server.auth().store_token("alice", refusal.token, refusal.metadata); });
    CHECK(error.status() == MCPAUTH_ERR_INVALID_ARGUMENT);
    CHECK_THAT(error.what(), Catch::StartsWith("plugin manual_jwt (server srv): store_token failed: ") &&
                                 Catch::Contains(refusal.message));
    std::string message = error.what();
    // Callers pass it through the host's redaction (logs, HTTP errors): it must come out whole.
    CHECK(mcpauth::core::redact(message) == message);
    if (refusal.token.size() >= 6) CHECK(message.find(refusal.token) == std::string::npos);
    // Nor any segment of it (a JWT's claims or signature).
    for (std::size_t start = 0; start < refusal.token.size();) {
      std::size_t dot = std::min(refusal.token.find('.', start), refusal.token.size());
      std::string segment = refusal.token.substr(start, dot - start);
      if (segment.size() >= 6) CHECK(message.find(segment) == std::string::npos);
      start = dot + 1;
    }
    CHECK(server.storage().list("").empty());
  }
}

}  // namespace

TEST_CASE("a JWT that cannot be used is refused with a message saying why") {
  Server server(memory_server(R"("auth_type": "jwt")"));
  const std::string header = b64(R"({"alg":"RS256"})");
  const std::string claims = b64(R"({"sub":"svc","exp":)" + std::to_string(now_s() + 3600) + "}");
  const std::string signature = "c2VjcmV0LXNpZ25hdHVyZQ";
  const std::string too_long = header + "." + claims + "." + std::string(16 * 1024, 'A');
  check_refusals(
      server,
      {
          {"empty", "", "{}", "empty JWT: there is nothing to store"},
          {"too long", too_long, "{}",
           "too long a JWT: " + std::to_string(too_long.size()) + " bytes, more than the 16384 allowed"},
          {"two segments", header + "." + claims, "{}",
           "a JWT has 3 base64url segments separated by '.', this one has 2"},
          {"four segments", header + "." + claims + "." + signature + ".eyJ4IjoxfQ", "{}", "this one has 4"},
          {"opaque token", "sk-live-0123456789abcdef", "{}", "this one has 1"},
          {"padding", header + "=." + claims + "." + signature, "{}",
           "the JWT's header segment is not base64url without padding (character " + std::to_string(header.size() + 1) +
               " of the segment is not allowed)"},
          {"standard base64 alphabet", header + "." + claims + ".ab+/cd", "{}",
           "the JWT's signature segment is not base64url without padding (character 3"},
          {"space", header + "." + claims + " ." + signature, "{}", "claims segment is not base64url"},
          {"empty signature", header + "." + claims + ".", "{}", "the JWT's signature segment is empty"},
          {"empty header", "." + claims + "." + signature, "{}", "the JWT's header segment is empty"},
          {"impossible length", header + "." + claims + ".abcde", "{}",
           "the JWT's signature segment has a length no base64url text can have"},
          {"stray bits", header + "." + claims + ".ab", "{}", "signature segment is not canonical base64url"},
          {"header not JSON", b64("not json at all") + "." + claims + "." + signature, "{}",
           "the JWT's header segment is not a JSON object"},
          {"header an array", b64(R"(["alg","HS256"])") + "." + claims + "." + signature, "{}",
           "the JWT's header segment is not a JSON object"},
          {"claims not JSON", header + "." + b64("{\"sub\":") + "." + signature, "{}",
           "the JWT's claims segment is not a JSON object"},
          {"claims a string", header + "." + b64("\"sub\"") + "." + signature, "{}",
           "the JWT's claims segment is not a JSON object"},
          {"no alg", make_jwt(R"({"typ":"JWT"})", R"({"sub":"svc"})", signature), "{}",
           "the JWT's header has no 'alg' (a non-empty string)"},
          {"alg a number", make_jwt(R"({"alg":256})", R"({"sub":"svc"})", signature), "{}",
           "the JWT's header has no 'alg'"},
          {"alg none", make_jwt(R"({"alg":"none"})", R"({"sub":"svc"})", signature), "{}",
           "the JWT is unsigned (alg 'none'), which is not accepted"},
          {"alg NONE", make_jwt(R"({"alg":"NONE"})", R"({"sub":"svc"})", signature), "{}", "unsigned (alg 'none')"},
          {"exp a string", jwt_with_claims(R"({"exp":"1999999999"})"), "{}",
           "the JWT's claim 'exp' must be a number of Unix seconds from 0 to 253402300799"},
          {"exp a boolean", jwt_with_claims(R"({"exp":true})"), "{}", "claim 'exp' must be a number"},
          {"exp negative", jwt_with_claims(R"({"exp":-5})"), "{}", "claim 'exp' must be a number"},
          {"exp beyond year 9999", jwt_with_claims(R"({"exp":1e300})"), "{}", "claim 'exp' must be a number"},
          {"expired", jwt_with_claims(R"({"sub":"svc","exp":1000000000})"), "{}",
           "the JWT expired at 2001-09-09T01:46:40Z"},
          {"expired just now", jwt_with_claims(R"({"exp":)" + std::to_string(now_s()) + "}"), "{}",
           "the JWT expired at "},
          {"metadata not an object", jwt_with_claims("{}"), "[1,2]", "the token's metadata is not a JSON object"},
          {"metadata not JSON", jwt_with_claims("{}"), "{expires_at: 5}", "the token's metadata is not a JSON object"},
          {"metadata too large", jwt_with_claims("{}"), R"({"x":")" + std::string(16 * 1024, 'x') + R"("})",
           "the token's metadata is more than 16384 bytes of JSON"},
          {"expires_at a string", jwt_with_claims("{}"), R"({"expires_at":"tomorrow"})",
           "the metadata's expires_at must be a number of Unix seconds"},
          {"expires_at passed", jwt_with_claims("{}"), R"({"expires_at":1000000000})",
           "the metadata's expires_at (2001-09-09T01:46:40Z) has passed"},
      });
}

TEST_CASE("bearer tokens and API keys must be printable ASCII without spaces") {
  for (const char* type : {"bearer", "api_key"}) {
    INFO(type);
    Server server(memory_server(std::string(R"("auth_type": ")") + type + "\""));
    const std::string noun = std::string(type) == "bearer" ? "token" : "API key";
    check_refusals(server, {
                               {"empty", "", "{}", "empty " + noun + ": there is nothing to store"},
                               {"space", "abc def-123456", "{}",
                                "not a usable " + noun +
                                    ": character 4 is a space, a control character or not ASCII (only printable ASCII "
                                    "without spaces is allowed)"},
                               {"newline", "abcdef\n123456", "{}", "character 7 is a space"},
                               {"tab", "\tabcdef123456", "{}", "character 1 is a space"},
                               {"DEL", "abcdef\x7f", "{}", "character 7 is a space"},
                               {"non-ASCII", "caf\xc3\xa9-123456", "{}", "character 4 is a space"},
                               {"too long", std::string(16 * 1024 + 1, 'k'), "{}",
                                "too long a " + noun + ": 16385 bytes, more than the 16384 allowed"},
                               {"bad metadata", "abcdef123456", "null", "metadata is not a JSON object"},
                           });
  }
}

TEST_CASE("accepted tokens are stored as a record with their claims and metadata") {
  Server server(memory_server(R"("auth_type": "jwt")"));
  const int64_t exp = now_s() + 3600;
  // nbf in the future is tolerated: the MCP server judges it.
  const std::string jwt = jwt_with_claims(R"({"iss":"https://issuer.example","sub":"svc-1","exp":)" +
                                          std::to_string(exp) + R"(,"nbf":)" + std::to_string(now_s() + 600) + "}");
  const int64_t before = now_s();
  server.auth().store_token("", jwt, R"({"scopes":["read","write"],"note":"from the admin page"})");

  auto record = parse(server.stored("token/server"));
  CHECK(record->getValue<std::string>("token") == jwt);
  CHECK(record->getValue<int64_t>("stored_at") >= before);
  CHECK(record->getValue<int64_t>("stored_at") <= now_s());
  CHECK(record->getValue<int64_t>("exp") == exp);
  CHECK(record->getValue<std::string>("iss") == "https://issuer.example");
  CHECK(record->getValue<std::string>("sub") == "svc-1");
  CHECK(record->getObject("metadata")->getArray("scopes")->size() == 2);
  CHECK(record->getObject("metadata")->getValue<std::string>("note") == "from the admin page");
  CHECK(server.storage().list("") == std::vector<std::string>{"srv/token/server"});

  SECTION("the earlier of exp and the metadata's expires_at counts") {
    server.auth().store_token("alice", jwt, R"({"expires_at":)" + std::to_string(exp - 100) + "}");
    CHECK(parse(server.stored("token/user:alice"))->getValue<int64_t>("exp") == exp - 100);
    server.auth().store_token("bob", jwt, R"({"expires_at":)" + std::to_string(exp + 100) + "}");
    CHECK(parse(server.stored("token/user:bob"))->getValue<int64_t>("exp") == exp);
  }
  SECTION("a JWT without exp, iss or sub, with an empty metadata text") {
    server.auth().store_token("carol", jwt_with_claims("{}"), "");
    auto plain = parse(server.stored("token/user:carol"));
    CHECK_FALSE(plain->has("exp"));
    CHECK_FALSE(plain->has("iss"));
    CHECK(plain->getObject("metadata")->size() == 0);
  }
  SECTION("a bearer token's expiry comes from the metadata") {
    Server bearer(memory_server(R"("auth_type": "bearer")"));
    bearer.auth().store_token("alice", "opaque-token-123", R"({"expires_at":)" + std::to_string(exp) + "}");
    CHECK(parse(bearer.stored("token/user:alice"))->getValue<int64_t>("exp") == exp);
    // Any printable token is a bearer token, a JWT too; its claims are not read.
    bearer.auth().store_token("bob", jwt, "{}");
    CHECK_FALSE(parse(bearer.stored("token/user:bob"))->has("sub"));
  }
}

TEST_CASE("the host log names what was stored, never the token") {
  Server server(memory_server(R"("auth_type": "jwt")"));
  const std::string jwt = jwt_with_claims(R"({"sub":"svc"})");
  mcpauth::test::StderrCapture log;
  server.auth().store_token("alice", jwt, "{}");
  server.auth().store_token("", jwt, "{}");
  server.auth().get_credentials("alice");
  server.auth().status("alice");
  server.auth().logout("alice");
  server.auth().logout("");
  // An opaque token is one the host's log redaction would not recognise.
  Server bearer(memory_server(R"("auth_type": "bearer")"));
  bearer.auth().store_token("bob", "opaque-value-31415", "{}");
  bearer.auth().get_credentials("bob");
  bearer.auth().logout("bob");
  const std::string text = log.text();
  CHECK_THAT(text, Catch::Contains("user 'bob' now has their own token\n") &&
                       Catch::Contains("user 'bob' no longer has their own token\n"));
  CHECK(text.find("opaque-value") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("[server srv]: user 'alice' now has their own JWT\n") &&
                       Catch::Contains("[server srv]: the server now has a server-level JWT\n") &&
                       Catch::Contains("[server srv]: user 'alice' no longer has their own JWT\n") &&
                       Catch::Contains("[server srv]: the server no longer has a server-level JWT\n"));
  CHECK(text.find(jwt.substr(jwt.rfind('.') + 1)) == std::string::npos);
  CHECK(text.find(jwt.substr(0, jwt.rfind('.'))) == std::string::npos);
}

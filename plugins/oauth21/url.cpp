#include "url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <Poco/Ascii.h>
#include <Poco/String.h>

#include <algorithm>

namespace mcpauth::oauth21 {
namespace {

int default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// URLs are ASCII (RFC 3986): spaces, control characters and bytes >= 0x7f are refused, not guessed at.
bool has_byte_outside_visible_ascii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte >= 0x7f;
  });
}

// text holds no NUL (the callers reject control characters), so c_str() is the whole of it.
bool is_ipv6_literal(const std::string& text) {
  in6_addr address;
  return inet_pton(AF_INET6, text.c_str(), &address) == 1;
}

// Host names as DNS and IPv4 literals spell them; anything more exotic (percent-escapes,
// sub-delims) is refused rather than interpreted.
bool is_host_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return Poco::Ascii::isAlphaNumeric(c) || c == '-' || c == '.' || c == '_';
  });
}

// "" (as in "host:") means the default port, as RFC 3986 section 3.2.3 allows.
std::optional<int> parse_port(std::string_view digits, int default_value) {
  if (digits.empty()) return default_value;
  if (digits.size() > 5) return std::nullopt;
  int port = 0;
  for (char c : digits) {
    if (!Poco::Ascii::isDigit(c)) return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

// Fills host and port from "host[:port]" or "[ipv6][:port]".
bool parse_authority(std::string_view authority, Url& url) {
  if (authority.find('@') != std::string_view::npos) return false;  // userinfo: credentials in URLs are refused
  std::string_view host;
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') return false;
    if (!after.empty()) port_text = after.substr(1);
    if (!is_ipv6_literal(std::string(host))) return false;
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    if (!is_host_name(host)) return false;
  }
  const std::optional<int> port = parse_port(port_text, default_port(url.scheme));
  if (!port) return false;
  url.host = Poco::toLower(std::string(host));
  url.port = *port;
  return true;
}

// RFC 3986 section 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" before any "/", "?" or "#".
bool starts_with_scheme(std::string_view reference) {
  if (reference.empty() || !Poco::Ascii::isAlpha(reference[0])) return false;
  for (char c : reference.substr(1)) {
    if (c == ':') return true;
    if (!Poco::Ascii::isAlphaNumeric(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// RFC 3986 section 5.2.3, for a base that has an authority.
std::string merge_paths(std::string_view base_path, std::string_view relative_path) {
  if (base_path.empty()) return "/" + std::string(relative_path);
  return std::string(base_path.substr(0, base_path.rfind('/') + 1)) + std::string(relative_path);
}

void drop_last_segment(std::string& path) {
  const size_t slash = path.rfind('/');
  path.erase(slash == std::string::npos ? 0 : slash);
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.starts_with("../")) {
      input.remove_prefix(3);
    } else if (input.starts_with("./") || input.starts_with("/./")) {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.starts_with("/../")) {
      input.remove_prefix(3);
      drop_last_segment(output);
    } else if (input == "/..") {
      input = "/";
      drop_last_segment(output);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      const size_t segment_end = std::min(input.find('/', 1), input.size());
      output += input.substr(0, segment_end);
      input.remove_prefix(segment_end);
    }
  }
  return output;
}

// A path reference ("/p", "p", "?q" or "") applied to base.
Url resolve_path_reference(const Url& base, std::string_view reference) {
  Url target = base;
  const size_t question = reference.find('?');
  const std::string_view path = reference.substr(0, question);
  const bool has_query = question != std::string_view::npos;
  if (!path.empty()) {
    target.path = path.starts_with('/') ? std::string(path) : merge_paths(base.path, path);
    target.query.clear();
  }
  if (has_query) target.query = reference.substr(question + 1);
  return target;
}

bool is_unreserved(char c) { return Poco::Ascii::isAlphaNumeric(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

void append_form_encoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (is_unreserved(c)) {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    }
  }
}

int hex_value(char c) { return Poco::Ascii::isDigit(c) ? c - '0' : Poco::Ascii::toLower(c) - 'a' + 10; }

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size() || !Poco::Ascii::isHexDigit(text[i + 1]) || !Poco::Ascii::isHexDigit(text[i + 2]))
        return std::nullopt;
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string Url::origin() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://" + (ipv6 ? "[" + host + "]" : host);
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::string Url::text() const { return origin() + path + (query.empty() ? "" : "?" + query); }

std::optional<Url> parse_url(std::string_view text) {
  if (has_byte_outside_visible_ascii(text)) return std::nullopt;
  const size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = Poco::toLower(std::string(text.substr(0, scheme_end)));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;

  std::string_view rest = text.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t authority_end = std::min(rest.find_first_of("/?"), rest.size());
  if (!parse_authority(rest.substr(0, authority_end), url)) return std::nullopt;

  const std::string_view path_and_query = rest.substr(authority_end);
  const size_t question = path_and_query.find('?');
  url.path = path_and_query.substr(0, question);
  if (question != std::string_view::npos) url.query = path_and_query.substr(question + 1);
  return url;
}

std::optional<Url> resolve_location(const Url& base, std::string_view location) {
  if (has_byte_outside_visible_ascii(location)) return std::nullopt;
  location = location.substr(0, location.find('#'));
  std::optional<Url> target;
  if (starts_with_scheme(location)) {
    target = parse_url(location);
  } else if (location.starts_with("//")) {
    target = parse_url(base.scheme + ":" + std::string(location));
  } else {
    target = resolve_path_reference(base, location);
  }
  if (target) target->path = remove_dot_segments(target->path);
  return target;
}

bool is_loopback_host(std::string_view host) {
  if (host.find('\0') != std::string_view::npos) return false;  // inet_pton would stop reading there
  const std::string name(host);
  if (Poco::icompare(name, "localhost") == 0) return true;
  in_addr v4;
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  return inet_pton(AF_INET6, name.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

bool is_secure_endpoint(const Url& url) {
  return url.scheme == "https" || (url.scheme == "http" && is_loopback_host(url.host));
}

// parse_url already lower-cased scheme and host, and origin() drops the default port.
std::string canonical_resource(const Url& url) { return url.text(); }

std::vector<std::string> protected_resource_metadata_urls(const Url& server) {
  const std::string root = server.origin() + "/.well-known/oauth-protected-resource";
  if (server.path.empty() || server.path == "/") return {root};
  return {root + server.path, root};
}

std::vector<std::string> authorization_server_metadata_urls(const Url& issuer) {
  std::string_view path = issuer.path;
  if (path.ends_with('/')) path.remove_suffix(1);
  const std::string origin = issuer.origin();
  const std::string oauth = origin + "/.well-known/oauth-authorization-server";
  const std::string openid = origin + "/.well-known/openid-configuration";
  if (path.empty()) return {oauth, openid};
  const std::string p(path);
  return {oauth + p, openid + p, origin + p + "/.well-known/openid-configuration"};
}

std::string form_encode(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    append_form_encoded(out, name);
    out += '=';
    append_form_encoded(out, value);
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  std::string out;
  append_form_encoded(out, text);
  return out;
}

std::optional<Params> parse_query(std::string_view query) {
  Params params;
  while (!query.empty()) {
    const size_t ampersand = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, ampersand);
    query.remove_prefix(std::min(ampersand + 1, query.size()));
    if (pair.empty()) continue;  // "a=1&&b=2"
    const size_t equals = pair.find('=');
    std::optional<std::string> name = form_decode(pair.substr(0, equals));
    std::optional<std::string> value =
        form_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

std::optional<std::string> find_param(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

}  // namespace mcpauth::oauth21

#include "www_authenticate.h"

#include <Poco/Ascii.h>
#include <Poco/String.h>

namespace mcpauth::oauth21 {
namespace {

// RFC 9110 section 5.6.2.
bool is_tchar(char c) {
  return Poco::Ascii::isAlphaNumeric(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 section 11.2 (the '=' padding is handled apart).
bool is_token68_char(char c) {
  return Poco::Ascii::isAlphaNumeric(c) || std::string_view("-._~+/").find(c) != std::string_view::npos;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  bool at(char c) const { return !at_end() && text_[pos_] == c; }
  // The end of a list element: a comma or the end of the header.
  bool at_element_end() const { return at_end() || at(','); }
  size_t position() const { return pos_; }
  void rewind(size_t pos) { pos_ = pos; }
  void advance() { ++pos_; }

  template <typename Predicate>
  std::string_view read_while(Predicate accepts) {
    const size_t start = pos_;
    while (!at_end() && accepts(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // SP and HTAB; true when there was any.
  bool skip_spaces() {
    return !read_while([](char c) { return c == ' ' || c == '\t'; }).empty();
  }

  // Spaces and the commas of empty list elements; true when a comma was skipped.
  bool skip_separators() {
    return read_while([](char c) { return c == ' ' || c == '\t' || c == ','; }).find(',') != std::string_view::npos;
  }

  // At '"': the unescaped content, or nullopt when the closing quote is missing.
  std::optional<std::string> read_quoted_string() {
    advance();
    std::string value;
    while (!at_end()) {
      char c = text_[pos_++];
      if (c == '"') return value;
      if (c == '\\') {
        if (at_end()) break;
        c = text_[pos_++];
      }
      value += c;
    }
    return std::nullopt;
  }

  // Moves past a malformed list element, to the next comma that is not inside a quoted string.
  void skip_element() {
    while (!at_element_end()) {
      if (at('"')) {
        read_quoted_string();
      } else {
        advance();
      }
    }
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// A token68 when it makes up the rest of the list element; otherwise the cursor is left as it was.
std::optional<std::string> read_token68(Cursor& cursor) {
  const size_t start = cursor.position();
  const std::string_view characters = cursor.read_while(is_token68_char);
  const std::string_view padding = cursor.read_while([](char c) { return c == '='; });
  cursor.skip_spaces();
  if (!characters.empty() && cursor.at_element_end()) return std::string(characters) + std::string(padding);
  cursor.rewind(start);
  return std::nullopt;
}

enum class ParamOutcome { kStored, kMalformed, kNotAParam };

// One "name = value" list element. kNotAParam (cursor unmoved) when it starts with a token not
// followed by '=': that can be the scheme of the next challenge.
ParamOutcome read_param(Cursor& cursor, Challenge& challenge) {
  const size_t start = cursor.position();
  const std::string_view name = cursor.read_while(is_tchar);
  if (name.empty()) return ParamOutcome::kMalformed;
  cursor.skip_spaces();
  if (!cursor.at('=')) {
    cursor.rewind(start);
    return ParamOutcome::kNotAParam;
  }
  cursor.advance();
  cursor.skip_spaces();
  std::optional<std::string> value;
  if (cursor.at('"')) {
    value = cursor.read_quoted_string();
  } else if (const std::string_view token = cursor.read_while(is_tchar); !token.empty()) {
    value = std::string(token);
  }
  cursor.skip_spaces();
  if (!value || !cursor.at_element_end()) return ParamOutcome::kMalformed;
  // A name may appear only once (RFC 9110 section 11.2); emplace keeps the first if it is repeated.
  challenge.params.emplace(Poco::toLower(std::string(name)), std::move(*value));
  return ParamOutcome::kStored;
}

void read_params(Cursor& cursor, Challenge& challenge) {
  while (true) {
    const bool after_comma = cursor.skip_separators();
    if (cursor.at_end()) return;
    switch (read_param(cursor, challenge)) {
      case ParamOutcome::kStored:
        break;
      case ParamOutcome::kNotAParam:
        if (after_comma) return;  // the next challenge begins here
        cursor.skip_element();
        break;
      case ParamOutcome::kMalformed:
        cursor.skip_element();
        break;
    }
  }
}

}  // namespace

std::vector<Challenge> parse_www_authenticate(std::string_view header) {
  std::vector<Challenge> challenges;
  Cursor cursor(header);
  while (true) {
    cursor.skip_separators();
    if (cursor.at_end()) break;
    Challenge challenge;
    challenge.scheme = cursor.read_while(is_tchar);
    const bool spaced = cursor.skip_spaces();
    if (challenge.scheme.empty() || !(spaced || cursor.at_element_end())) {
      cursor.skip_element();
      continue;
    }
    if (spaced) {
      if (std::optional<std::string> token68 = read_token68(cursor)) {
        challenge.token68 = std::move(*token68);
      } else {
        read_params(cursor, challenge);
      }
    }
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

std::optional<Challenge> find_bearer(const std::vector<Challenge>& challenges) {
  for (const Challenge& challenge : challenges) {
    if (Poco::icompare(challenge.scheme, "bearer") == 0) return challenge;
  }
  return std::nullopt;
}

}  // namespace mcpauth::oauth21

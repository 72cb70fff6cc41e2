// `mcpauth keygen`: a new Fernet key on stdout, and nothing else (so it can be captured).
#include "commands.h"

#include "crypto/fernet.h"

#include <iostream>

namespace mcpauth::cli {

int run_keygen(const Invocation& invocation) {
  if (invocation.words.size() != 1) throw UsageError("'keygen' takes no arguments");
  std::cout << crypto::FernetKey::generate().encoded() << "\n";
  return 0;
}

}  // namespace mcpauth::cli

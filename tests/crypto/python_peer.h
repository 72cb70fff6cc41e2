#pragma once
// Runs fernet_peer.py (Python's cryptography.fernet) for the interop tests.

#include <string>
#include <string_view>
#include <vector>

// Runs `/usr/bin/python3 -I fernet_peer.py args...` with `input` on stdin and returns its
// stdout. Debian's interpreter on purpose: a python3 found on PATH (pyenv...) may lack the
// distribution's python3-cryptography. Throws std::runtime_error with the peer's stderr
// (e.g. "install python3-cryptography") if it cannot run or exits non-zero.
std::string run_peer(const std::vector<std::string>& args, std::string_view input = {});

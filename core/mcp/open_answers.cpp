#include "mcpauth/mcp/open_answers.h"

namespace mcpauth::mcp {

OpenAnswers::Registration::Registration(OpenAnswers& answers, UpstreamResponse& answer)
    : answers_(answers), answer_(answer) {
  std::lock_guard lock(answers_.mutex_);
  if (answers_.closed_) {
    answer_.abort();
    return;
  }
  answers_.open_.insert(&answer_);
  registered_ = true;
}

OpenAnswers::Registration::~Registration() {
  if (!registered_) return;
  std::lock_guard lock(answers_.mutex_);
  answers_.open_.erase(&answer_);
}

void OpenAnswers::close_all() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (UpstreamResponse* answer : open_) answer->abort();
}

bool OpenAnswers::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace mcpauth::mcp

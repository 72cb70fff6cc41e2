#include "upstream_answers.h"

namespace mcpauth::api {

UpstreamAnswers::Registration::Registration(UpstreamAnswers& answers, mcp::UpstreamResponse& answer)
    : answers_(answers), answer_(answer) {
  std::lock_guard lock(answers_.mutex_);
  if (answers_.aborting_)
    answer_.abort();
  else
    answers_.open_.insert(&answer_);
}

UpstreamAnswers::Registration::~Registration() {
  std::lock_guard lock(answers_.mutex_);
  answers_.open_.erase(&answer_);
}

void UpstreamAnswers::abort_all() {
  std::lock_guard lock(mutex_);
  aborting_ = true;
  for (mcp::UpstreamResponse* answer : open_) answer->abort();
}

}  // namespace mcpauth::api

// How the extension reports fixnn errors: a C++ exception carrying the Error's message, which
// the module turns into fixnn.Error (a RuntimeError and a ValueError) with the same text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "support/result.h"

namespace fixnn::python {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void Raise(const Error& error) { throw UserError(error.message()); }

inline void Check(const Status& status) {
  if (!status.ok()) Raise(status.error());
}

template <typename T>
T Unwrap(Result<T>&& result) {
  if (!result.ok()) Raise(result.error());
  return std::move(result).value();
}

}  // namespace fixnn::python

// Error and Result<T>: how fixnn reports anything a user can cause (bad files, bad types,
// impossible precisions). Broken internal invariants are asserts, not Results.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace fixnn {

// A user-facing error. The message names what is wrong and where ("file: layer 'x': ...").
class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

  // Returns a copy with "context: " prepended, for adding the file or layer name on the way up.
  Error WithContext(const std::string& context) const { return Error(context + ": " + message_); }

 private:
  std::string message_;
};

// Either a value or an Error. Check ok() before value(); the value accessors assert.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result for operations that produce nothing but may fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_{""};
  bool ok_ = true;
};

}  // namespace fixnn

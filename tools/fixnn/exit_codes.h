// fixnn's exit codes, as documented in the README.
#pragma once

namespace fixnn::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUserError = 1;  // bad input: a file, a type, a value, a model
inline constexpr int kExitUsage = 2;      // bad command line (unknown option, missing argument)

}  // namespace fixnn::cli

// C simulation only: loads a constant array from a text file of comma- or space-separated
// decimal values, each the exact value of an element (so converting it into T changes
// nothing). Large arrays are read this way so that g++ does not compile their initializers.
#ifndef FIXNN_WEIGHTS_H_
#define FIXNN_WEIGHTS_H_

#ifndef __SYNTHESIS__

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fixnn {

// Reads exactly n values into w from <dir>/<file>; false (with a message on stderr) when the
// file is missing, short or malformed.
template <class T>
bool load_weights_from_txt(T* w, unsigned n, const std::string& dir, const char* file) {
  const std::string path = dir + "/" + file;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == NULL) {
    std::fprintf(stderr, "fixnn: cannot open %s\n", path.c_str());
    return false;
  }
  unsigned i = 0;
  char token[128];
  int c = 0;
  while (i < n) {
    unsigned len = 0;
    while ((c = std::fgetc(f)) != EOF && (c == ',' || c == ' ' || c == '\n' || c == '\r')) {
    }
    while (c != EOF && c != ',' && c != ' ' && c != '\n' && c != '\r' && len + 1 < sizeof token) {
      token[len++] = static_cast<char>(c);
      c = std::fgetc(f);
    }
    if (len == 0) break;
    token[len] = '\0';
    char* end = NULL;
    const double v = std::strtod(token, &end);
    if (end != token + len) break;
    w[i++] = T(v);
  }
  std::fclose(f);
  if (i != n) {
    std::fprintf(stderr, "fixnn: %s: expected %u values, read %u\n", path.c_str(), n, i);
    return false;
  }
  return true;
}

// The folder holding `file`: firmware/weights when run from the project folder (the g++
// testbench), weights in the HLS tool's C simulation folder.
inline std::string default_weights_dir(const char* file) {
  const char* dirs[] = {"firmware/weights", "weights"};
  for (unsigned i = 0; i < 2; i++) {
    const std::string path = std::string(dirs[i]) + "/" + file;
    FILE* f = std::fopen(path.c_str(), "r");
    if (f != NULL) {
      std::fclose(f);
      return dirs[i];
    }
  }
  return dirs[0];
}

}  // namespace fixnn

#endif  // __SYNTHESIS__

#endif  // FIXNN_WEIGHTS_H_

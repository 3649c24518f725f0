#pragma once
// One error type for the library: a message that already names the file and the place.
#include <stdexcept>
#include <string>

namespace unspin {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace unspin

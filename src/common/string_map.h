#pragma once
// Hash maps keyed by std::string that are looked up with a std::string_view (no copy of the
// token per lookup), hashed with XXH3, which is several times faster than std::hash on the
// short keys of a vocabulary.
#include <xxhash.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace unspin {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return XXH3_64bits(s.data(), s.size()); }
};

template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace unspin

#pragma once
// UTF-8 checks used where text enters unspin.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace unspin::text {

inline constexpr size_t kValid = static_cast<size_t>(-1);

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or kValid.
size_t find_invalid_utf8(std::string_view s);

// Byte offset of the first NUL byte, or kValid. A NUL is how binary files give themselves away.
size_t find_nul(std::string_view s);

bool is_ascii(std::string_view s);

// Decodes one code point at s[i] (s must be valid UTF-8) and advances i.
char32_t next_code_point(std::string_view s, size_t& i);

void append_utf8(std::string& out, char32_t c);

}  // namespace unspin::text

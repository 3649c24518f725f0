#include "similar/words.h"

#define XXH_INLINE_ALL
#include <unicode/uchar.h>
#include <xxhash.h>

#include "text/document.h"
#include "text/utf8.h"

namespace unspin::similar {

uint64_t hash_long_key(std::string_view key) {
  const uint64_t h = XXH3_64bits(key.data(), key.size());
  return h ? h : 1;
}

}  // namespace unspin::similar

namespace unspin::similar::detail {

bool non_ascii_word_char(std::string_view text, size_t& i) {
  const char32_t cp = text::next_code_point(text, i);
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  switch (type) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER: case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER:
    case U_NON_SPACING_MARK: case U_COMBINING_SPACING_MARK: case U_ENCLOSING_MARK:
    case U_LETTER_NUMBER:
      return true;
    default:
      return false;
  }
}

bool non_ascii_upper(std::string_view text, size_t i) {
  const char32_t cp = text::next_code_point(text, i);
  return u_isupper(static_cast<UChar32>(cp)) || u_istitle(static_cast<UChar32>(cp));
}

// Words whose only non-ASCII characters are U+2019 apostrophes ("Ukraine’s", common in news)
// skip ICU: NFC and case folding leave U+2019 alone and match_key maps it to '.
void fold_key(std::string_view word, std::string& out) {
  out.clear();
  for (size_t i = 0; i < word.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
    } else if (c == 0xE2 && word.substr(i, 3) == "\xE2\x80\x99") {
      out += '\'';
      i += 2;
    } else {
      out = text::match_key(word);
      return;
    }
  }
}

}  // namespace unspin::similar::detail

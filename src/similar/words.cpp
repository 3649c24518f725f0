#include "similar/words.h"

#include <unicode/uchar.h>

#include "text/document.h"
#include "text/utf8.h"

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

void fold_key(std::string_view word, std::string& out) { out = text::match_key(word); }

}  // namespace unspin::similar::detail

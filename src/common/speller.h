#pragma once
// Hunspell instances that threads may build and drop concurrently.
//
// Hunspell 1.7 keeps a global, reference-counted UTF-8 case table that its constructor and
// destructor update without a lock; one thread's instance dying while another is built could
// free the table under it. Every instance in unspin is made here, and instances are built and
// destroyed one at a time (lookups, the hot part, run in parallel).
#include <hunspell/hunspell.hxx>

#include <memory>
#include <mutex>
#include <string>

namespace unspin {

inline std::mutex& speller_lifetime_mutex() {
  static std::mutex m;
  return m;
}

struct SpellerDeleter {
  void operator()(Hunspell* h) const {
    std::lock_guard<std::mutex> lock(speller_lifetime_mutex());
    delete h;
  }
};

using Speller = std::unique_ptr<Hunspell, SpellerDeleter>;

inline Speller make_speller(const std::string& aff, const std::string& dic) {
  std::lock_guard<std::mutex> lock(speller_lifetime_mutex());
  return Speller(new Hunspell(aff.c_str(), dic.c_str()));
}

}  // namespace unspin

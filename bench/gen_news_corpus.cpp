// gen_news_corpus N [BYTES] [DUP] [SPUN] [SEED] > corpus.jsonl
//
// News-sized synthetic documents for the dedup benchmarks: sentences of words drawn from a
// Zipfian distribution over the Hunspell en_US word list (content words) and a list of function
// words, with names and numbers mixed in. A fraction DUP of documents are re-posts of an earlier
// document, a fraction SPUN are spun copies (a quarter of the words replaced by other words or
// dropped). Ids tell which is which: doc-I, dupof-J-I, spunof-J-I. Deterministic for a SEED.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

const char* kFunction[] = {"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with",
                           "as", "he", "be", "at", "by", "this", "had", "not", "are", "but", "from", "or", "have",
                           "an", "they", "which", "one", "you", "were", "her", "all", "she", "there", "would",
                           "their", "we", "him", "been", "has", "when", "who", "will", "more", "no", "if", "out"};

struct Zipf {
  std::vector<double> cdf;
  explicit Zipf(size_t n, double s = 1.0) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) cdf.push_back(sum += 1.0 / std::pow(static_cast<double>(i) + 2.7, s));
    for (auto& c : cdf) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
  }
};

void json_escape(std::string& out, const std::string& s) {
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gen_news_corpus N [BYTES=4096] [DUP=0.02] [SPUN=0.02] [SEED=1]\n");
    return 2;
  }
  const size_t n = std::strtoull(argv[1], nullptr, 10);
  const size_t bytes = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 4096;
  const double dup = argc > 3 ? std::atof(argv[3]) : 0.02;
  const double spun = argc > 4 ? std::atof(argv[4]) : 0.02;
  const uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  std::vector<std::string> vocab;
  {
    std::ifstream dic("/usr/share/hunspell/en_US.dic");
    std::string line;
    std::getline(dic, line);  // count
    while (std::getline(dic, line)) {
      const std::string w = line.substr(0, line.find('/'));
      if (w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        vocab.push_back(w);
    }
  }
  if (vocab.empty()) {
    std::fprintf(stderr, "gen_news_corpus: cannot read /usr/share/hunspell/en_US.dic\n");
    return 1;
  }
  std::mt19937_64 rng(seed);
  std::shuffle(vocab.begin(), vocab.end(), rng);
  const Zipf content(vocab.size()), function(std::size(kFunction));
  std::vector<std::pair<size_t, std::string>> recent;
  std::string line;
  for (size_t i = 0; i < n; ++i) {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng);
    std::string id, text;
    if (!recent.empty() && r < dup + spun) {
      const auto& [src, src_text] = recent[rng() % recent.size()];
      if (r < dup) {
        id = "dupof-" + std::to_string(src) + "-" + std::to_string(i);
        text = src_text;
      } else {
        id = "spunof-" + std::to_string(src) + "-" + std::to_string(i);
        size_t w = 0, start = 0;
        for (size_t k = 0; k <= src_text.size(); ++k) {
          if (k < src_text.size() && src_text[k] != ' ') continue;
          const std::string word = src_text.substr(start, k - start);
          start = k + 1;
          if (++w % 4 == 0) {
            if (rng() % 3 == 0) continue;  // dropped
            text += vocab[content(rng)];
          } else {
            text += word;
          }
          text += ' ';
        }
      }
    } else {
      id = "doc-" + std::to_string(i);
      while (text.size() < bytes) {
        const size_t len = 8 + rng() % 18;
        for (size_t k = 0; k < len; ++k) {
          std::string w;
          const uint64_t kind = rng() % 100;
          if (kind < 45) w = kFunction[function(rng)];
          else if (kind < 97) w = vocab[content(rng)];
          else if (kind < 99) w = "Name" + std::to_string(rng() % 50000);
          else w = std::to_string(rng() % 100000);
          if (k == 0) w[0] = static_cast<char>(std::toupper(w[0]));
          text += w;
          text += k + 1 == len ? ". " : (rng() % 12 == 0 ? ", " : " ");
        }
      }
      if (recent.size() < 2000) recent.emplace_back(i, text);
      else recent[rng() % recent.size()] = {i, text};
    }
    line = "{\"id\":\"" + id + "\",\"text\":\"";
    json_escape(line, text);
    line += "\"}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}

// unspin segment: what the text pipeline sees (tokens with byte spans and keys, sentences).
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "text/document.h"

namespace unspin::cli {

namespace {

const char* kind_name(text::TokenKind k) {
  switch (k) {
    case text::TokenKind::Word: return "word";
    case text::TokenKind::Number: return "number";
    case text::TokenKind::Punct: return "punct";
    case text::TokenKind::Symbol: return "symbol";
    case text::TokenKind::Emoji: return "emoji";
  }
  return "?";
}

struct Segmented {
  text::Document doc;
};

void emit_json(const io::InputDoc& in, const text::Document& d) {
  nlohmann::json j;
  put_id(j, in);
  j["bytes"] = d.text().size();
  auto& tokens = j["tokens"] = nlohmann::json::array();
  for (size_t i = 0; i < d.size(); ++i)
    tokens.push_back({{"start", d[i].begin}, {"end", d[i].end}, {"text", d.original(i)},
                      {"key", d.key(i)}, {"kind", kind_name(d[i].kind)}});
  auto& sentences = j["sentences"] = nlohmann::json::array();
  for (const auto& s : d.sentences()) sentences.push_back({s.begin, s.end});
  std::printf("%s\n", dump_line(j).c_str());
}

void emit_text(const io::InputDoc& in, const text::Document& d) {
  size_t words = 0;
  for (size_t i = 0; i < d.size(); ++i) words += d.is_word(i);
  std::printf("%s: %zu bytes, %zu tokens, %zu words, %zu sentences\n", in.id.c_str(),
              d.text().size(), d.size(), words, d.sentences().size());
}

}  // namespace

void register_segment(CLI::App& app, int& rc) {
  static CommonOptions opts;
  CLI::App* cmd = app.add_subcommand("segment", "Show what the text pipeline sees: tokens with byte spans and keys, sentences");
  add_common_options(cmd, opts);
  cmd->callback([&rc] {
    const text::Segmenter segmenter;
    rc = run_documents<Segmented>(
        opts, "segment",
        [&](const io::InputDoc& in) {
          Segmented s{segmenter.segment(in.text)};
          s.doc.sentences();  // on the worker thread, not in the ordered output
          return s;
        },
        [&](const io::InputDoc& in, Segmented& s) {
          if (opts.format == "json")
            emit_json(in, s.doc);
          else
            emit_text(in, s.doc);
        });
  });
}

}  // namespace unspin::cli

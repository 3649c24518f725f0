// unspin clean: the article body of scraped pages, with residue removed, encodings repaired and a
// quality report; --eval measures it on a line-labelled set.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "clean/cleaner.h"
#include "clean/eval.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "restore/engine.h"
#include "restore/resources.h"
#include "text/document.h"
#include "common/error.h"

namespace unspin::cli {

namespace {

struct CleanCliOptions {
  CommonOptions common;
  std::string lexicon;
  bool drop_captions = false;
  bool no_templates = false;
  bool no_quality = false;
  size_t template_min_pages = 3;
  double template_min_share = 0.3;
  std::string dictionary = "/usr/share/hunspell/en_US";
  std::string eval;
};

nlohmann::json blocks_json(const std::vector<clean::Block>& blocks, bool kind) {
  auto a = nlohmann::json::array();
  for (const auto& b : blocks)
    a.push_back({{"start", b.start}, {"end", b.end}, {kind ? "kind" : "reason", b.reason},
                 {"text", b.text}, {"evidence", b.evidence}});
  return a;
}

void emit_json(const io::InputDoc& in, const clean::CleanResult& r) {
  nlohmann::json j;
  put_id(j, in);
  j["clean"] = r.clean;
  j["removed"] = blocks_json(r.removed, false);
  j["marked"] = blocks_json(r.marked, true);
  auto& reps = j["repairs"] = nlohmann::json::array();
  for (const auto& p : r.repairs)
    reps.push_back({{"start", p.start}, {"end", p.end}, {"kind", p.kind}, {"before", p.before},
                    {"after", p.after}});
  j["quality"] = r.quality.to_json();
  std::printf("%s\n", dump_line(j).c_str());
}

bool many_documents(const CommonOptions& o) {
  if (o.input.jsonl || o.input.paths.size() > 1) return true;
  for (const auto& p : o.input.paths)
    if (p != "-" && std::filesystem::is_directory(p)) return true;
  return false;
}

// First pass over the batch: which lines are on many of its pages.
std::unique_ptr<clean::TemplateSet> scan_templates(const CleanCliOptions& o) {
  if (o.no_templates || o.common.input.paths.empty()) return nullptr;
  for (const auto& p : o.common.input.paths)
    if (p == "-") return nullptr;  // standard input cannot be read twice
  auto set = std::make_unique<clean::TemplateSet>();
  io::InputReader reader(o.common.input);
  while (auto item = reader.next())
    if (item->doc) set->add_document(clean::repair(item->doc->text).text);
  clean::TemplateOptions to;
  to.min_pages = o.template_min_pages;
  to.min_share = o.template_min_share;
  set->finish(to);
  if (set->size() == 0) return nullptr;
  return set;
}

int run_eval(const CleanCliOptions& o, const clean::CleanOptions& co) {
  std::vector<std::string> files;
  if (std::filesystem::is_directory(o.eval)) {
    for (const auto& e : std::filesystem::directory_iterator(o.eval))
      if (e.path().extension() == ".tsv") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(o.eval);
  }
  if (files.empty()) throw Error(o.eval + ": no *.tsv label files");
  clean::EvalCounts total;
  nlohmann::json docs = nlohmann::json::array();
  for (const auto& f : files) {
    const clean::LabelledDoc doc = clean::parse_labelled(io::read_text_file(f), f);
    const clean::EvalResult r = clean::evaluate(doc, co);
    total.add(r.counts);
    if (o.common.format == "json") {
      nlohmann::json j = r.counts.to_json();
      j["file"] = f;
      j["mistakes"] = r.mistakes;
      docs.push_back(j);
    } else {
      const auto& c = r.counts;
      std::printf("%s: residue %zu/%zu removed, %zu lines removed, body sentences %zu/%zu kept\n",
                  f.c_str(), c.removed_residue, c.residue_lines, c.removed_lines,
                  c.body_sentences_kept, c.body_sentences);
      for (const auto& m : r.mistakes) std::printf("  %s\n", m.c_str());
    }
  }
  if (o.common.format == "json") {
    nlohmann::json j = {{"documents", docs}, {"total", total.to_json()}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf(
        "total: %zu documents; residue precision %.4f (%zu/%zu), recall %.4f (%zu/%zu); body "
        "sentences kept %.4f (%zu/%zu); captions marked %zu/%zu\n",
        files.size(), total.precision(), total.removed_residue, total.removed_lines,
        total.recall(), total.removed_residue, total.residue_lines, total.body_kept(),
        total.body_sentences_kept, total.body_sentences, total.captions_marked, total.captions);
  }
  return kExitOk;
}

}  // namespace

void register_clean(CLI::App& app, int& rc) {
  static CleanCliOptions opts;
  CLI::App* cmd = app.add_subcommand(
      "clean", "Remove scraping residue, repair encodings, report quality");
  add_common_options(cmd, opts.common);
  cmd->add_option("--lexicon", opts.lexicon,
                  "Boilerplate lexicon (default: lexicons/boilerplate.tsv of the source tree)");
  cmd->add_flag("--drop-captions", opts.drop_captions,
                "Drop photo captions and credits (by default they are kept and listed as marked)");
  cmd->add_flag("--no-templates", opts.no_templates,
                "Do not look for lines repeated across the batch (template lines)");
  cmd->add_option("--template-min-pages", opts.template_min_pages,
                  "A template line appears on at least this many documents")
      ->capture_default_str();
  cmd->add_option("--template-min-share", opts.template_min_share,
                  "... and on at least this share of the batch")
      ->capture_default_str();
  cmd->add_flag("--no-quality", opts.no_quality, "Skip the quality report (spelling, sentences)");
  cmd->add_option("--dictionary", opts.dictionary,
                  "Hunspell dictionary, path without .aff/.dic")
      ->capture_default_str();
  cmd->add_option("--eval", opts.eval,
                  "Evaluate on line-labelled TSV files (a file or a directory of *.tsv) and "
                  "report residue precision/recall and body sentences kept");
  cmd->callback([&rc] {
    try {
      const std::string path =
          opts.lexicon.empty() ? clean::BoilerplateLexicon::default_path() : opts.lexicon;
      const clean::BoilerplateLexicon lexicon = clean::BoilerplateLexicon::load(path);
      clean::CleanOptions co;
      co.lexicon = &lexicon;
      co.drop_captions = opts.drop_captions;
      co.quality = !opts.no_quality;
      co.dictionary = opts.dictionary;
      // The quality report carries the spin score of the cleaned text (lexicons + model).
      std::unique_ptr<restore::Resources> spin_resources;
      std::unique_ptr<restore::Engine> spin_engine;
      if (co.quality) {
        spin_resources = restore::Resources::load();
        spin_engine = std::make_unique<restore::Engine>(spin_resources->lexicon, *spin_resources->lm);
        co.spin_score = [&](std::string_view clean_text) -> std::optional<double> {
          return spin_engine->analyze(text::Segmenter().segment(std::string(clean_text))).spin_score;
        };
      }
      if (!opts.eval.empty()) {
        rc = run_eval(opts, co);
        return;
      }
      const auto templates = scan_templates(opts);
      co.templates = templates.get();
      const bool headers = many_documents(opts.common);
      rc = run_documents<clean::CleanResult>(
          opts.common, "clean",
          [&](const io::InputDoc& in) { return clean::clean_text(in.text, co); },
          [&](const io::InputDoc& in, clean::CleanResult& r) {
            if (opts.common.format == "json") {
              emit_json(in, r);
              return;
            }
            if (headers) std::printf("==> %s <==\n", in.id.c_str());
            std::fwrite(r.clean.data(), 1, r.clean.size(), stdout);
            if (headers) std::printf("\n");
          });
    } catch (const std::exception& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "unspin clean: %s\n", e.what());
      rc = kExitRuntime;
    }
  });
}

}  // namespace unspin::cli

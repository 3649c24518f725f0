// unspin sign INPUT...: each document's LSH band keys, for grouping in an external engine
// (Dask, Spark); candidate pairs come back to `unspin similar --pairs` for verification.
#include <cinttypes>
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/similar_options.h"
#include "similar/minhash.h"

namespace unspin::cli {

void register_sign(CLI::App& app, int& rc) {
  static CommonOptions opts;
  static SimilarityOptions sim;
  static bool with_signature = false;
  CLI::App* cmd = app.add_subcommand("sign", "Emit LSH band keys per document for external grouping (JSONL or TSV)");
  add_common_options(cmd, opts, {"json", "tsv"});
  opts.format = "json";
  sim.add(cmd, /*lsh=*/true);
  cmd->add_flag("--signature", with_signature, "Also emit the MinHash signature (json only)");
  cmd->callback([&rc] {
    const auto canon = sim.make_canonicalizer(sim.channel == "canonical");
    const similar::FeatureExtractor ex(sim.params, canon.get());
    const nlohmann::json header = {{"unspin", "sign"}, {"version", UNSPIN_VERSION}, {"params", sim.metadata(canon.get())}};
    if (opts.format == "json")
      std::printf("%s\n", dump_line(header).c_str());
    else
      std::printf("# %s\n#id\tband\tkey\n", dump_line(header).c_str());
    struct Signed {
      std::vector<uint32_t> sig;
      std::vector<uint64_t> keys;
    };
    rc = run_documents<Signed>(
        opts, "sign",
        [&](const io::InputDoc& in) {
          Signed s;
          ex.signature(in.text, s.sig);
          similar::band_keys(s.sig, sim.params.bands, sim.params.rows, sim.params.seed, s.keys);
          return s;
        },
        [&](const io::InputDoc& in, Signed& s) {
          char hex[24];
          if (opts.format == "json") {
            nlohmann::json j;
            put_id(j, in);
            if (!in.date.empty()) j["date"] = in.date;
            auto& keys = j["keys"] = nlohmann::json::array();
            for (size_t b = 0; b < s.keys.size(); ++b) {
              std::snprintf(hex, sizeof hex, "%zu:%016" PRIx64, b, s.keys[b]);
              keys.push_back(hex);
            }
            if (with_signature) j["signature"] = s.sig;
            std::printf("%s\n", dump_line(j).c_str());
          } else {
            for (size_t b = 0; b < s.keys.size(); ++b)
              std::printf("%s\t%zu\t%016" PRIx64 "\n", in.id.c_str(), b, s.keys[b]);
          }
        });
  });
}

}  // namespace unspin::cli

// test-links: aimcsim_sim
// MobileBERT and MobileBERT-EdgeTPU-XS (SQuAD, sequence 384) as reference traces
// (issue 14 item 5; FACTS.md s.8), and MobileBERT at sequence 128 (issue 18 item 3;
// the same network and head). The stored files in traces/ must equal the
// generated graphs; regenerate with AIMCSIM_WRITE_TRACES=1 ./test_graph_mobilebert.
//
// Block (Sun et al. 2020; google-research mobilebert, tensorflow/models
// official/projects/edgetpu/nlp): input bottleneck H->B; shared Q/K bottleneck
// H->B; q, k: B->B from it, v: H->B from the block input; 4-head attention;
// output B->B + residual; F stacked FFNs B->I->B (ReLU), each + residual;
// output bottleneck B->H + the block input. NoNorm (a per-feature affine) is an
// inference batch norm over the features (reshape to tokens x H). The trigram
// embedding (3 x 128 -> 512) is the trace's input and first linear; the table
// lookup does no arithmetic and is left out. SQuAD head: 512 -> 2 per token.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "sim/graph/graph_builder.h"
#include "sim/graph/trace_reader.h"
#include "sim/graph/trace_writer.h"

using namespace aimcsim;

namespace {

struct BertShape {
  const char* name;
  int blocks;
  std::int64_t hidden, bottleneck, intermediate, ffns, heads, embedding, seq;
};

constexpr BertShape kMobileBert{"mobilebert_squad384", 24, 512, 128, 512, 4, 4, 128, 384};
constexpr BertShape kMobileBert128{"mobilebert_squad128", 24, 512, 128, 512, 4, 4, 128, 128};
constexpr BertShape kEdgeTpuXs{"mobilebert_edgetpu_xs_squad384", 8, 512, 256, 1024, 4, 4, 128, 384};

Graph check_stored(const Graph& generated, const std::string& file) {
  std::string path = AIMCSIM_SOURCE_DIR;
  path.append("/traces/").append(file);
  if (std::getenv("AIMCSIM_WRITE_TRACES") != nullptr) write_trace_file(generated, path);
  Graph stored = read_trace_file(path);
  CHECK(stored == generated);
  return stored;
}

// NoNorm: x * gamma + beta per feature.
Tensor no_norm(GraphBuilder& b, const std::string& p, Tensor x) {
  const Shape s = b.shape(x);
  Tensor y = b.batchnorm(p, b.reshape(p + "_r", x, {s[1], s[2]}));
  return b.reshape(p + "_o", y, s);
}

Tensor heads(GraphBuilder& b, const std::string& p, Tensor x, std::int64_t h) {
  const Shape& s = b.shape(x);
  return b.transpose(p + "_t", b.reshape(p + "_r", x, {1, s[1], h, s[2] / h}), {0, 2, 1, 3});
}

Graph mobilebert(const BertShape& m) {
  GraphBuilder b(m.name);
  const std::int64_t n = m.seq;
  Tensor x = b.input("embeddings.trigram", {1, n, 3 * m.embedding});
  x = b.linear("embeddings.embedding_transformation", x, m.hidden, true);
  x = b.add("embeddings.add", {x, b.constant("embeddings.position_type", {1, n, m.hidden})});
  x = no_norm(b, "embeddings.norm", x);
  for (int i = 0; i < m.blocks; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    Tensor in = no_norm(b, p + "bottleneck.input.norm",
                        b.linear(p + "bottleneck.input.dense", x, m.bottleneck, true));
    Tensor qk = no_norm(b, p + "bottleneck.attention.norm",
                        b.linear(p + "bottleneck.attention.dense", x, m.bottleneck, true));
    Tensor q = heads(b, p + "attention.query",
                     b.linear(p + "attention.query", qk, m.bottleneck, true), m.heads);
    Tensor k = heads(b, p + "attention.key", b.linear(p + "attention.key", qk, m.bottleneck, true),
                     m.heads);
    Tensor v = heads(b, p + "attention.value",
                     b.linear(p + "attention.value", x, m.bottleneck, true), m.heads);
    Tensor a = b.softmax(p + "attention.softmax", b.matmul(p + "attention.qk", q, k, true));
    Tensor ctx =
        b.transpose(p + "attention.ctx_t", b.matmul(p + "attention.av", a, v), {0, 2, 1, 3});
    ctx = b.reshape(p + "attention.ctx_r", ctx, {1, n, m.bottleneck});
    Tensor y = b.linear(p + "attention.output.dense", ctx, m.bottleneck, true);
    y = no_norm(b, p + "attention.output.norm", b.add(p + "attention.output.add", {y, in}));
    for (std::int64_t f = 0; f < m.ffns; ++f) {
      const std::string q2 = p + "ffn." + std::to_string(f) + ".";
      Tensor h = b.relu(q2 + "act", b.linear(q2 + "intermediate", y, m.intermediate, true));
      h = b.linear(q2 + "output", h, m.bottleneck, true);
      y = no_norm(b, q2 + "norm", b.add(q2 + "add", {h, y}));
    }
    Tensor out = b.linear(p + "bottleneck.output.dense", y, m.hidden, true);
    x = no_norm(b, p + "bottleneck.output.norm", b.add(p + "bottleneck.output.add", {out, x}));
  }
  b.output("logits", b.linear("qa_outputs", x, 2, true));
  return std::move(b).build();
}

// MACs per FACTS.md s.8: linear layers + QK^T + AV, plus the embedding transformation
// and the SQuAD head.
std::int64_t expected_macs(const BertShape& m) {
  const std::int64_t h = m.hidden, bn = m.bottleneck, n = m.seq;
  const std::int64_t per_token = 2 * h * bn                        // input and Q/K bottlenecks
                                 + 2 * bn * bn + h * bn + bn * bn  // q, k, v, attention output
                                 + m.ffns * 2 * bn * m.intermediate + bn * h;  // FFNs, output
  const std::int64_t attention = 2 * n * n * bn;  // QK^T and AV over all heads
  return m.blocks * (per_token * n + attention) + n * 3 * m.embedding * h + n * h * 2;
}

}  // namespace

TEST_CASE("mobilebert_squad384.trace: 8.68 GMAC at sequence 384 (FACTS.md s.8)") {
  const Graph g = check_stored(mobilebert(kMobileBert), "mobilebert_squad384.trace");
  const GraphTotals t = g.totals();
  CHECK(t.mappable_macs + t.dynamic_macs == expected_macs(kMobileBert));
  CHECK(t.dynamic_macs == 24 * 2 * 384LL * 384 * 128);
  CHECK(double(t.mappable_macs + t.dynamic_macs) == doctest::Approx(8.68e9).epsilon(0.005));
  CHECK(t.mappable_ops == 24 * (7 + 2 * 4) + 2);
}

TEST_CASE("mobilebert_edgetpu_xs_squad384.trace: 9.34 GMAC at sequence 384 (FACTS.md s.8)") {
  const Graph g = check_stored(mobilebert(kEdgeTpuXs), "mobilebert_edgetpu_xs_squad384.trace");
  const GraphTotals t = g.totals();
  CHECK(t.mappable_macs + t.dynamic_macs == expected_macs(kEdgeTpuXs));
  CHECK(double(t.mappable_macs + t.dynamic_macs) == doctest::Approx(9.34e9).epsilon(0.005));
  // Weights of the encoder + embedding transformation + head: the 27.1 M parameters
  // less the 30522 x 128 token table (3.9 M) and the position/type embeddings.
  CHECK(double(t.params) == doctest::Approx(27.1e6 - 30522.0 * 128).epsilon(0.10));
}

TEST_CASE("mobilebert_squad128.trace: 2.69 GMAC at sequence 128, attention 1/9 of sequence 384") {
  const Graph g = check_stored(mobilebert(kMobileBert128), "mobilebert_squad128.trace");
  const GraphTotals t = g.totals();
  CHECK(t.mappable_macs + t.dynamic_macs == expected_macs(kMobileBert128));
  CHECK(t.mappable_macs + t.dynamic_macs == 2'692'874'240);
  CHECK(t.dynamic_macs == 24 * 2 * 128LL * 128 * 128);  // 100,663,296: 905,969,664 / 9
  CHECK(t.mappable_macs * 3 == 7'776'632'832);          // linear work scales with the tokens
  CHECK(t.mappable_ops == 24 * (7 + 2 * 4) + 2);
  // The encoder's weights do not depend on the sequence; the position/type constant does
  // (128 instead of 384 rows of 512).
  CHECK(t.params == 20'609'538 - (384 - 128) * 512);
}

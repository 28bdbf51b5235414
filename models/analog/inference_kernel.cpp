// Fused analog MVM inference on float panels (inference_kernel.h).
#include "models/analog/inference_kernel.h"

#include <ATen/ATen.h>
#include <ATen/TensorIterator.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>

#include "models/analog/bounded_quant.h"
#include "models/analog/level_gemm.h"

namespace aimcsim {
namespace {

// oneDNN's row-major SGEMM (public C API of libdnnl, which libtorch loads): its AVX-512
// kernels are about twice as fast as the BLAS behind at::mm on the small panels here.
// Looked up at run time because the library is not linked directly; at::mm_out otherwise.
using DnnlSgemm = int (*)(char, char, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                          std::int64_t, const float*, std::int64_t, float, float*, std::int64_t);

DnnlSgemm find_dnnl_sgemm() {
  return reinterpret_cast<DnnlSgemm>(dlsym(RTLD_DEFAULT, "dnnl_sgemm"));
}

// y[out, cols] = w[out, k] @ x[k, cols] (x with row stride ld). Up to kMaxChainK inputs the
// register-blocked kernel of level_gemm.h computes what oneDNN does, without packing x.
void gemm(const float* w, std::int64_t out, std::int64_t k, const float* x, std::int64_t ld,
          std::int64_t cols, float* y) {
  if (k <= kernel_loops::kMaxChainK) {
    kernel_loops::gemm_fma_chain(w, out, k, x, ld, cols, y, cols);
    return;
  }
  static const DnnlSgemm dnnl = find_dnnl_sgemm();
  if (dnnl != nullptr && dnnl('N', 'N', out, cols, k, 1.0f, w, k, x, ld, 0.0f, y, cols) == 0) {
    return;
  }
  const at::TensorOptions f32 = at::TensorOptions().dtype(at::kFloat);
  at::Tensor yt = at::from_blob(y, {out, cols}, f32);
  at::mm_out(yt, at::from_blob(const_cast<float*>(w), {out, k}, f32),
             at::from_blob(const_cast<float*>(x), {k, cols}, {ld, 1}, f32));
}

void ensure(std::vector<float>& v, std::int64_t n) {
  if (static_cast<std::int64_t>(v.size()) < n) v.resize(static_cast<std::size_t>(n));
}

}  // namespace

void parallel_ranges(std::int64_t n, const std::function<void(std::int64_t, std::int64_t)>& f) {
  if (n <= 0) return;
  // An iterator over the indices 0..n-1; for_each hands each thread a contiguous range.
  const at::Tensor index = at::arange(n, at::TensorOptions().dtype(at::kLong));
  at::TensorIterator iter = at::TensorIteratorConfig()
                                .add_output(index)
                                .resize_outputs(false)
                                .declare_static_shape({n})
                                .check_all_same_dtype(false)
                                .set_check_mem_overlap(false)
                                .build();
  iter.for_each(
      [&](char** data, const std::int64_t* strides, std::int64_t size0, std::int64_t size1) {
        for (std::int64_t j = 0; j < size1; ++j) {
          const char* base = data[0] + j * strides[1];
          for (std::int64_t i = 0; i < size0; ++i) {
            const std::int64_t first = *reinterpret_cast<const std::int64_t*>(base);
            if (strides[0] == sizeof(std::int64_t)) {  // contiguous: consecutive indices
              f(first, first + size0);
              break;
            }
            f(first, first + 1);
            base += strides[0];
          }
        }
      },
      /*grain_size=*/1);
}

bool path_is_noisy(const AnalogNumericsParams& params) {
  return params.out_noise > 0.0 || params.w_noise > 0.0;
}

InferenceKernel::InferenceKernel(std::int64_t groups, std::int64_t in_features,
                                 std::int64_t out_features, std::vector<KernelBlock> blocks,
                                 const float* bias, const AnalogNumericsParams& params,
                                 std::uint64_t key)
    : groups_(groups),
      in_(in_features),
      out_(out_features),
      blocks_(std::move(blocks)),
      bias_(bias),
      params_(params),
      key_(key) {
  // The constants are rounded to float as the ATen scalar arguments of the autograd path.
  const double dac_step = bounded_quant_step(params.dac_bits, params.inp_bound);
  const double adc_step = bounded_quant_step(params.adc_bits, params.out_bound);
  const double in_mult = dac_step > 0.0 ? 1.0 / dac_step : 1.0;
  const double out_mult = adc_step > 0.0 ? 1.0 / adc_step : 1.0;
  in_mult_ = static_cast<float>(in_mult);
  inv_in_mult_ = static_cast<float>(1.0 / in_mult);
  inv_out_mult_ = static_cast<float>(1.0 / out_mult);
  w_sigma_ = static_cast<float>(params.w_noise * out_mult);
  dac_.lo = static_cast<float>(-params.inp_bound * in_mult);
  dac_.hi = static_cast<float>(params.inp_bound * in_mult);
  dac_.clip = params.inp_bound > 0.0;
  dac_.round = dac_.clip && dac_step > 0.0;
  adc_.y_to_adc = static_cast<float>((1.0 / in_mult) * out_mult);
  adc_.sigma = static_cast<float>(params.out_noise * out_mult);
  adc_.lo = static_cast<float>(-params.out_bound * out_mult);
  adc_.hi = static_cast<float>(params.out_bound * out_mult);
  adc_.clip = params.out_bound > 0.0;
  adc_.round = adc_.clip && adc_step > 0.0;
  if (params.w_noise > 0.0) {
    for (const KernelBlock& b : blocks_) {
      const std::int64_t n = groups_ * out_ * b.k_size;
      std::vector<float>& a = w_abs_.emplace_back(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) a[i] = std::fabs(b.w[i]);
    }
  }
}

bool InferenceKernel::abs_max_scaling() const {
  return params_.noise_management == NoiseManagement::kAbsMax;
}

void InferenceKernel::column_scales(float* s, std::int64_t cols, float* r, float* sc) const {
  for (std::int64_t m = 0; m < cols; ++m) {
    if (s[m] == 0.0f) s[m] = 1.0f;
    r[m] = (1.0f / s[m]) * in_mult_;
    sc[m] = s[m] * inv_out_mult_;
  }
}

std::vector<NormalStream> InferenceKernel::streams(std::int64_t first_segment,
                                                   std::int64_t segments) const {
  std::vector<NormalStream> out;
  if (!path_is_noisy(params_)) return out;
  out.reserve(static_cast<std::size_t>(segments));
  for (std::int64_t i = 0; i < segments; ++i) {
    out.emplace_back(key_, static_cast<std::uint64_t>(first_segment + i));
  }
  return out;
}

void InferenceKernel::run(float* panel, std::int64_t ld, std::int64_t first_segment,
                          std::int64_t segments, std::int64_t seg_len, const KernelOutput& out,
                          KernelScratch& sc) const {
  const std::int64_t cols = segments * seg_len;
  if (cols == 0) return;
  ensure(sc.s, cols);
  ensure(sc.r, cols);
  ensure(sc.sc, cols);
  std::vector<NormalStream> noise = streams(first_segment, segments);
  for (std::int64_t g = 0; g < groups_; ++g) {
    for (std::size_t bi = 0; bi < blocks_.size(); ++bi) {
      const KernelBlock& b = blocks_[bi];
      float* rows = panel + (g * in_ + b.k_begin) * ld;
      std::fill(sc.s.begin(), sc.s.begin() + cols, abs_max_scaling() ? 0.0f : 1.0f);
      if (abs_max_scaling()) {  // step 1
        for (std::int64_t k = 0; k < b.k_size; ++k) {
          kernel_loops::abs_max_into({rows + k * ld, 0, 1, 1, cols}, sc.s.data());
        }
      }
      column_scales(sc.s.data(), cols, sc.r.data(), sc.sc.data());
      for (std::int64_t k = 0; k < b.k_size; ++k) {  // step 2, in place
        kernel_loops::dac({rows + k * ld, 0, 1, 1, cols}, sc.r.data(), dac_, rows + k * ld);
      }
      convert(g, bi, rows, ld, sc.sc.data(), first_segment, segments, seg_len, noise, out, sc);
    }
  }
}

void InferenceKernel::convert(std::int64_t g, std::size_t bi, const float* levels, std::int64_t ld,
                              const float* col_scale, std::int64_t first_segment,
                              std::int64_t segments, std::int64_t seg_len,
                              std::vector<NormalStream>& streams, const KernelOutput& out,
                              KernelScratch& sc) const {
  const KernelBlock& b = blocks_[bi];
  const std::int64_t cols = segments * seg_len;
  const bool w_noise = params_.w_noise > 0.0;
  const bool out_noise = params_.out_noise > 0.0;
  ensure(sc.y, out_ * cols);
  gemm(b.w + g * out_ * b.k_size, out_, b.k_size, levels, ld, cols, sc.y.data());  // step 3
  if (w_noise) {  // std of the short-term read noise: sqrt(|W| x^2) in input units
    ensure(sc.xsq, b.k_size * cols);
    ensure(sc.y_std, out_ * cols);
    for (std::int64_t k = 0; k < b.k_size; ++k) {
      for (std::int64_t m = 0; m < cols; ++m) {
        const float xu = levels[k * ld + m] * inv_in_mult_;
        sc.xsq[k * cols + m] = xu * xu;
      }
    }
    gemm(w_abs_[bi].data() + g * out_ * b.k_size, out_, b.k_size, sc.xsq.data(), cols, cols,
         sc.y_std.data());
  }
  const std::int64_t n = out_ * seg_len;
  ensure(sc.noise, n);
  ensure(sc.noise_w, n);
  const bool last = bi + 1 == blocks_.size();
  for (std::int64_t i = 0; i < segments; ++i) {  // steps 4-6, per segment
    if (out_noise) streams[i].fill(sc.noise.data(), n);
    if (w_noise) streams[i].fill(sc.noise_w.data(), n);
    float* dst = out.data + (first_segment + i) * out.seg_stride + g * out.g_stride;
    for (std::int64_t o = 0; o < out_; ++o) {
      const std::int64_t at_y = o * cols + i * seg_len;
      float* zw = nullptr;
      if (w_noise) {
        zw = sc.noise_w.data() + o * seg_len;
        for (std::int64_t l = 0; l < seg_len; ++l) {
          zw[l] = zw[l] * (std::sqrt(sc.y_std[at_y + l]) * w_sigma_);
        }
      }
      kernel_loops::AdcRow row;
      row.y = sc.y.data() + at_y;
      row.z = out_noise ? sc.noise.data() + o * seg_len : nullptr;
      row.zw = zw;
      row.sc = col_scale + i * seg_len;
      row.scaled = b.out_scale != nullptr;
      row.out_scale = row.scaled ? b.out_scale[g * out_ + o] : 1.0f;
      row.accumulate = bi > 0;
      row.bias = last && bias_ ? bias_ + g * out_ + o : nullptr;
      kernel_loops::adc(row, adc_, seg_len, dst + o * out.o_stride, out.l_stride);
    }
  }
}

LayerKernel::LayerKernel(const AnalogLayerWeights& weights, const c10::optional<at::Tensor>& bias,
                         const AnalogNumericsParams& params, at::Generator& gen) {
  std::vector<KernelBlock> blocks;
  keep_.reserve(2 * weights.split.in_blocks.size() + 1);  // pointers into them are kept
  for (std::size_t i = 0; i < weights.split.in_blocks.size(); ++i) {
    const BlockRange& ib = weights.split.in_blocks[i];
    const at::Tensor& w =
        keep_.emplace_back(weights.w_norm[i].detach().to(at::kFloat).contiguous());
    const at::Tensor& s =
        keep_.emplace_back(weights.out_scale[i].detach().to(at::kFloat).contiguous());
    blocks.push_back({ib.begin, ib.size, w.data_ptr<float>(), s.data_ptr<float>()});
  }
  const float* bias_ptr = nullptr;
  if (bias.has_value() && bias->defined()) {
    bias_ptr = keep_.emplace_back(bias->detach().to(at::kFloat).contiguous()).data_ptr<float>();
  }
  const std::uint64_t key = path_is_noisy(params) ? noise_key(gen) : 0;
  kernel_.emplace(weights.groups, weights.in_features, weights.out_features, std::move(blocks),
                  bias_ptr, params, key);
}

}  // namespace aimcsim

// Node-API entry points of the workbook_native addon. Every function checks its typed arrays
// against the shapes it is given and throws a JavaScript error instead of reading out of bounds.
#include <node_api.h>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>
#include "conv.h"
#include "elementwise.h"
#include "gemm.h"

namespace {

int g_threads = 0;

struct Args {
  napi_env env;
  napi_value argv[8];
  size_t argc = 8;
  bool ok = true;
};

bool get_args(napi_env env, napi_callback_info info, Args& a, size_t need, const char* fn) {
  a.env = env;
  napi_get_cb_info(env, info, &a.argc, a.argv, nullptr, nullptr);
  if (a.argc < need) {
    napi_throw_type_error(env, nullptr, (std::string("workbook_native.") + fn + ": expected " + std::to_string(need) + " arguments").c_str());
    return false;
  }
  return true;
}

// A Float32Array's data and length, or an exception naming the function and argument.
float* f32(napi_env env, napi_value v, size_t need, const char* fn, const char* name) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (is_typed) napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr);
  if (!is_typed || type != napi_float32_array) {
    napi_throw_type_error(env, nullptr, (std::string("workbook_native.") + fn + ": argument " + name + " must be a Float32Array").c_str());
    return nullptr;
  }
  if (length < need) {
    napi_throw_range_error(env, nullptr, (std::string("workbook_native.") + fn + ": argument " + name + " has " + std::to_string(length) + " elements, the shapes need " + std::to_string(need)).c_str());
    return nullptr;
  }
  return static_cast<float*>(data);
}

bool ints(napi_env env, napi_value v, long* out, size_t n, const char* fn) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  uint32_t len = 0;
  if (is_array) napi_get_array_length(env, v, &len);
  if (!is_array || len < n) {
    napi_throw_type_error(env, nullptr, (std::string("workbook_native.") + fn + ": dims must be an array of " + std::to_string(n) + " integers").c_str());
    return false;
  }
  for (uint32_t i = 0; i < n; ++i) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    int64_t x = 0;
    if (napi_get_value_int64(env, e, &x) != napi_ok || x < 0) {
      napi_throw_type_error(env, nullptr, (std::string("workbook_native.") + fn + ": dims[" + std::to_string(i) + "] must be a non-negative integer").c_str());
      return false;
    }
    out[i] = static_cast<long>(x);
  }
  return true;
}

int threads() { return g_threads > 0 ? g_threads : workbook::default_threads(); }

// gemm(A, B, C, [M, N, K, rsa, csa, rsb, csb, ldc], overwrite?): C[M,N] += A(i,k) B(k,j) with strides
// (C = A B when overwrite is true: C's old contents are never read)
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 4, "gemm")) return nullptr;
  long d[8];
  if (!ints(env, a.argv[3], d, 8, "gemm")) return nullptr;
  bool overwrite = false;
  if (a.argc > 4) napi_get_value_bool(env, a.argv[4], &overwrite);
  const long M = d[0], N = d[1], K = d[2], rsa = d[3], csa = d[4], rsb = d[5], csb = d[6], ldc = d[7];
  if (M == 0 || N == 0) return nullptr;
  if (K == 0) {
    float* C = f32(env, a.argv[2], (M - 1) * ldc + N, "gemm", "C");
    if (C && overwrite)
      for (long i = 0; i < M; ++i) std::memset(C + i * ldc, 0, N * sizeof(float));
    return nullptr;
  }
  float* A = f32(env, a.argv[0], (M - 1) * rsa + (K - 1) * csa + 1, "gemm", "A");
  if (!A) return nullptr;
  float* B = f32(env, a.argv[1], (K - 1) * rsb + (N - 1) * csb + 1, "gemm", "B");
  if (!B) return nullptr;
  float* C = f32(env, a.argv[2], (M - 1) * ldc + N, "gemm", "C");
  if (!C) return nullptr;
  workbook::gemm(M, N, K, A, rsa, csa, B, rsb, csb, C, ldc, threads(), overwrite);
  return nullptr;
}

// The arguments of a convolution or pooling entry point: `need` of them, the last the shape list of
// Shape (ConvShape: 15 numbers, PoolShape: 14) read into s, whose strides and dilations must be >= 1;
// then the Float32Arrays argv[0..n) with at least len(s)[i] elements, named name[i] in errors, into p.
// False with a JavaScript exception pending at the first that fails.
template <typename Shape, size_t n, typename Len>
bool window_args(napi_env env, napi_callback_info info, Args& a, size_t need, const char* fn, Shape& s, const char* const (&name)[n], Len len, float* (&p)[n]) {
  constexpr size_t dims = sizeof(Shape) / sizeof(long);
  static_assert(std::is_standard_layout<Shape>::value && dims * sizeof(long) == sizeof(Shape), "a shape is a struct of longs");
  long d[dims];
  if (!get_args(env, info, a, need, fn) || !ints(env, a.argv[need - 1], d, dims, fn)) return false;
  std::memcpy(&s, d, sizeof(Shape));
  if (s.sh < 1 || s.sw < 1 || s.dh < 1 || s.dw < 1) {
    napi_throw_range_error(env, nullptr, (std::string("workbook_native.") + fn + ": strides and dilations must be >= 1").c_str());
    return false;
  }
  const std::array<long, n> sizes = len(s);
  for (size_t i = 0; i < n; ++i)
    if (!(p[i] = f32(env, a.argv[i], sizes[i], fn, name[i]))) return false;
  return true;
}

// Element counts of a convolution's tensors: x[N,H,W,C], filter w[KH,KW,C,OC], y[N,OH,OW,OC].
long conv_x(const workbook::ConvShape& s) { return s.N * s.H * s.W * s.C; }
long conv_w(const workbook::ConvShape& s) { return s.KH * s.KW * s.C * s.OC; }
long conv_y(const workbook::ConvShape& s) { return s.N * s.OH * s.OW * s.OC; }

// conv2d(x, w, y, [N,H,W,C,KH,KW,OC,OH,OW,sh,sw,dh,dw,pt,pl], bias?, relu?): y = conv(x, w), then
// y = y + bias (a Float32Array of OC or 1 values; null or absent: none), then y = max(0, y) if relu
napi_value Conv2d(napi_env env, napi_callback_info info) {
  Args a;
  workbook::ConvShape s;
  float* p[3];
  auto len = [](const workbook::ConvShape& s) { return std::array<long, 3>{conv_x(s), conv_w(s), conv_y(s)}; };
  if (!window_args(env, info, a, 4, "conv2d", s, {"x", "filter", "y"}, len, p)) return nullptr;
  workbook::ConvEpilogue epilogue;
  napi_valuetype type = napi_undefined;
  if (a.argc > 4) napi_typeof(env, a.argv[4], &type);
  if (type != napi_undefined && type != napi_null) {
    if (!(epilogue.bias = f32(env, a.argv[4], 1, "conv2d", "bias"))) return nullptr;
    size_t n = 0;
    napi_typedarray_type t;
    napi_get_typedarray_info(env, a.argv[4], &t, &n, nullptr, nullptr, nullptr);
    if (static_cast<long>(n) != s.OC && n != 1) {
      napi_throw_range_error(env, nullptr, (std::string("workbook_native.conv2d: argument bias has ") + std::to_string(n) + " elements; it needs OC = " + std::to_string(s.OC) + " or 1").c_str());
      return nullptr;
    }
    epilogue.biasLen = static_cast<long>(n);
  }
  if (a.argc > 5) napi_get_value_bool(env, a.argv[5], &epilogue.relu);
  workbook::conv2d_forward(s, p[0], p[1], p[2], threads(), epilogue);
  return nullptr;
}

// conv2dBackpropFilter(x, dy, dw, shape)
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  Args a;
  workbook::ConvShape s;
  float* p[3];
  auto len = [](const workbook::ConvShape& s) { return std::array<long, 3>{conv_x(s), conv_y(s), conv_w(s)}; };
  if (window_args(env, info, a, 4, "conv2dBackpropFilter", s, {"x", "dy", "dw"}, len, p)) workbook::conv2d_backprop_filter(s, p[0], p[1], p[2], threads());
  return nullptr;
}

// conv2dBackpropInput(dy, w, dx, shape)
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  Args a;
  workbook::ConvShape s;
  float* p[3];
  auto len = [](const workbook::ConvShape& s) { return std::array<long, 3>{conv_y(s), conv_w(s), conv_x(s)}; };
  if (window_args(env, info, a, 4, "conv2dBackpropInput", s, {"dy", "filter", "dx"}, len, p)) workbook::conv2d_backprop_input(s, p[0], p[1], p[2], threads());
  return nullptr;
}

// binary(op, a, b, out): out[i] = op(a[i mod |a|], b[i mod |b|]); |a|, |b| are |out|, 1 or divide it (op 6: a * step(b))
napi_value Binary(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 4, "binary")) return nullptr;
  int32_t op = 0;
  napi_get_value_int32(env, a.argv[0], &op);
  size_t na = 0, nb = 0, n = 0;
  napi_typedarray_type t;
  napi_get_typedarray_info(env, a.argv[1], &t, &na, nullptr, nullptr, nullptr);
  napi_get_typedarray_info(env, a.argv[2], &t, &nb, nullptr, nullptr, nullptr);
  napi_get_typedarray_info(env, a.argv[3], &t, &n, nullptr, nullptr, nullptr);
  if (na == 0 || nb == 0 || n == 0) return nullptr;
  float* A = f32(env, a.argv[1], 1, "binary", "a");
  float* B = A ? f32(env, a.argv[2], 1, "binary", "b") : nullptr;
  float* out = B ? f32(env, a.argv[3], 1, "binary", "out") : nullptr;
  if (!out) return nullptr;
  if (op < 0 || op > 6 || n % na != 0 || n % nb != 0 || (na != n && nb != n && na != 1 && nb != 1)) {
    napi_throw_range_error(env, nullptr, "workbook_native.binary: unsupported operation or broadcast");
    return nullptr;
  }
  workbook::binary(op, A, (long)na, B, (long)nb, out, (long)n, threads());
  return nullptr;
}

// unary(op, x, out, alpha): relu (0) or step (1)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 4, "unary")) return nullptr;
  int32_t op = 0;
  double alpha = 0;
  napi_get_value_int32(env, a.argv[0], &op);
  napi_get_value_double(env, a.argv[3], &alpha);
  size_t n = 0;
  napi_typedarray_type t;
  napi_get_typedarray_info(env, a.argv[1], &t, &n, nullptr, nullptr, nullptr);
  float* x = f32(env, a.argv[1], 0, "unary", "x");
  float* out = x ? f32(env, a.argv[2], n, "unary", "out") : nullptr;
  if (out) workbook::unary(op, x, out, (long)n, (float)alpha, threads());
  return nullptr;
}

// sumMiddle(x, out, [outer, middle, inner])
napi_value SumMiddle(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 3, "sumMiddle")) return nullptr;
  long d[3];
  if (!ints(env, a.argv[2], d, 3, "sumMiddle")) return nullptr;
  float* x = f32(env, a.argv[0], d[0] * d[1] * d[2], "sumMiddle", "x");
  float* out = x ? f32(env, a.argv[1], d[0] * d[2], "sumMiddle", "out") : nullptr;
  if (out) workbook::sum_middle(x, out, d[0], d[1], d[2]);
  return nullptr;
}

// Element counts of a pooling's tensors: x[N,H,W,C] and y[N,OH,OW,C].
long pool_x(const workbook::PoolShape& s) { return s.N * s.H * s.W * s.C; }
long pool_y(const workbook::PoolShape& s) { return s.N * s.OH * s.OW * s.C; }

// maxPool(x, y, [N,H,W,C,OH,OW,fh,fw,sh,sw,dh,dw,pt,pl])
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Args a;
  workbook::PoolShape s;
  float* p[2];
  auto len = [](const workbook::PoolShape& s) { return std::array<long, 2>{pool_x(s), pool_y(s)}; };
  if (window_args(env, info, a, 3, "maxPool", s, {"x", "y"}, len, p)) workbook::max_pool(s, p[0], p[1], threads());
  return nullptr;
}

// maxPoolGrad(x, dy, dx, shape)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a;
  workbook::PoolShape s;
  float* p[3];
  auto len = [](const workbook::PoolShape& s) { return std::array<long, 3>{pool_x(s), pool_y(s), pool_x(s)}; };
  if (window_args(env, info, a, 4, "maxPoolGrad", s, {"x", "dy", "dx"}, len, p)) workbook::max_pool_grad(s, p[0], p[1], p[2], threads());
  return nullptr;
}

// Output buffers. alloc() returns a Float32Array over an ArrayBuffer that V8 itself owns.
// (It used to hand out external buffers from a pool refilled by Node-API finalizers, but Node runs
// those finalizers from a setImmediate after GC, so a synchronous training loop never gave a block
// back: RSS grew by every step's activations, hundreds of MB per batch, while tf.memory() stayed
// flat. V8-owned memory is counted towards V8's heap limits and freed by the collector itself.)
// alloc(n, zero): a Float32Array of n elements (always zero-filled: V8 hands out zeroed memory)
napi_value Alloc(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 2, "alloc")) return nullptr;
  int64_t n = 0;
  napi_get_value_int64(env, a.argv[0], &n);
  if (n <= 0) n = 0;
  const size_t bytes = static_cast<size_t>(n) * sizeof(float);
  void* data = nullptr;
  napi_value buffer, array;
  if (napi_create_arraybuffer(env, bytes, &data, &buffer) != napi_ok) {
    napi_throw_range_error(env, nullptr, "workbook_native.alloc: out of memory");
    return nullptr;
  }
  napi_create_typedarray(env, napi_float32_array, static_cast<size_t>(n), buffer, 0, &array);
  return array;
}

// adamUpdate(w, g, m, v, wOut, mOut, vOut, [lr, b1, b2, eps, c1, c2, 1 - b1, 1 - b2]): one fused Adam step (elementwise.h)
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 8, "adamUpdate")) return nullptr;
  size_t n = 0;
  napi_typedarray_type t;
  bool is_typed = false;
  napi_is_typedarray(env, a.argv[0], &is_typed);
  if (is_typed) napi_get_typedarray_info(env, a.argv[0], &t, &n, nullptr, nullptr, nullptr);
  const char* names[7] = {"w", "g", "m", "v", "wOut", "mOut", "vOut"};
  float* p[7];
  for (int i = 0; i < 7; ++i)
    if (!(p[i] = f32(env, a.argv[i], n, "adamUpdate", names[i]))) return nullptr;
  double h[8];
  bool is_array = false;
  napi_is_array(env, a.argv[7], &is_array);
  uint32_t len = 0;
  if (is_array) napi_get_array_length(env, a.argv[7], &len);
  if (!is_array || len < 8) {
    napi_throw_type_error(env, nullptr, "workbook_native.adamUpdate: params must be an array [lr, b1, b2, eps, c1, c2, 1 - b1, 1 - b2]");
    return nullptr;
  }
  for (uint32_t i = 0; i < 8; ++i) {
    napi_value e;
    napi_get_element(env, a.argv[7], i, &e);
    if (napi_get_value_double(env, e, &h[i]) != napi_ok) {
      napi_throw_type_error(env, nullptr, (std::string("workbook_native.adamUpdate: params[") + std::to_string(i) + "] must be a number").c_str());
      return nullptr;
    }
  }
  const workbook::AdamParams params{(float)h[0], (float)h[1], (float)h[2], (float)h[3], (float)h[4], (float)h[5], (float)h[6], (float)h[7]};
  workbook::adam_update(params, p[0], p[1], p[2], p[3], p[4], p[5], p[6], (long)n);
  return nullptr;
}

// setThreads(n): 0 restores the default; returns the number in use
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a;
  if (!get_args(env, info, a, 1, "setThreads")) return nullptr;
  int32_t n = 0;
  napi_get_value_int32(env, a.argv[0], &n);
  g_threads = n > 0 ? n : 0;
  napi_value out;
  napi_create_int32(env, threads(), &out);
  return out;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value out, v;
  napi_create_object(env, &out);
  napi_create_int32(env, threads(), &v);
  napi_set_named_property(env, out, "threads", v);
  napi_create_string_utf8(env, workbook::simd_name(), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, out, "simd", v);
  return out;
}

// Every entry point computes with denormals flushed (workbook::FlushDenormals), the JS thread's mode restored after.
template <napi_value (*Kernel)(napi_env, napi_callback_info)> napi_value flushing(napi_env env, napi_callback_info info) {
  workbook::FlushDenormals flush;
  return Kernel(env, info);
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"gemm", nullptr, flushing<Gemm>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, flushing<Conv2d>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, flushing<Conv2dBackpropFilter>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, flushing<Conv2dBackpropInput>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, flushing<Binary>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, flushing<Unary>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sumMiddle", nullptr, flushing<SumMiddle>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, flushing<MaxPool>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, flushing<MaxPoolGrad>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, flushing<AdamUpdate>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"alloc", nullptr, Alloc, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

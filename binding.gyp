{
  "targets": [
    {
      "target_name": "workbook_native",
      "sources": ["native/addon.cc", "native/gemm.cc", "native/conv.cc", "native/elementwise.cc"],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno"],
      "cflags!": ["-O2"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["target_arch=='x64' or target_arch=='ia32'", { "cflags_cc": ["-march=native"] }],
        ["target_arch=='arm64'", { "cflags_cc": ["-mcpu=native"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17", "-fno-math-errno"],
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17"
          }
        }],
        ["OS=='mac' and target_arch=='x64'", { "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-march=native"] } }],
        ["OS=='win' and target_arch=='x64'", { "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2", "/arch:AVX2", "/std:c++17"] } } }],
        ["OS=='win' and target_arch!='x64'", { "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2", "/std:c++17"] } } }]
      ]
    }
  ],
  "conditions": [
    ["OS=='linux'", {
      "targets": [
        {
          "target_name": "workbook_native_portable",
          "sources": ["native/addon.cc", "native/gemm.cc", "native/conv.cc", "native/elementwise.cc"],
          "cflags_cc!": ["-fno-exceptions", "-O2", "-O3"],
          "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-DWORKBOOK_PORTABLE"],
          "cflags!": ["-O2"],
          "ldflags": ["-pthread"]
        }
      ]
    }],
    ["OS=='linux' and target_arch=='x64'", {
      "targets": [
        {
          "target_name": "workbook_native_avx2",
          "sources": ["native/addon.cc", "native/gemm.cc", "native/conv.cc", "native/elementwise.cc"],
          "cflags_cc!": ["-fno-exceptions", "-O2", "-O3"],
          "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-mavx2", "-mfma", "-mno-avx512f"],
          "cflags!": ["-O2"],
          "ldflags": ["-pthread"]
        }
      ]
    }]
  ]
}

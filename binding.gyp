{
  "targets": [
    {
      "target_name": "workbook_native",
      "sources": ["native/addon.cc", "native/gemm.cc", "native/conv.cc", "native/elementwise.cc"],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O3"],
      "cflags_cc": ["-O3", "-march=native", "-std=c++17", "-fno-math-errno"],
      "cflags!": ["-O2"],
      "ldflags": ["-pthread"],
      "xcode_settings": {
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-march=native", "-std=c++17"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "AdditionalOptions": ["/O2", "/arch:AVX2"] }
      }
    }
  ]
}

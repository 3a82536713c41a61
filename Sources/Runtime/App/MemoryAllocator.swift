#if canImport(Glibc)
    import Glibc
#endif

/// Which malloc serves this process, for the startup log: the `sluice` binary links jemalloc (see Package.swift),
/// test and benchmark binaries that embed a worker keep glibc's.
enum MemoryAllocator {
    private typealias MallCtl = @convention(c) (
        UnsafePointer<CChar>?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutableRawPointer?, Int
    ) -> Int32

    /// "jemalloc <version>" when jemalloc's `mallctl` is in the process, else "glibc malloc".
    static var description: String {
        guard let sym = dlsym(nil, "mallctl") else { return "glibc malloc" }
        let mallctl = unsafeBitCast(sym, to: MallCtl.self)
        var version: UnsafePointer<CChar>?
        var size = MemoryLayout<UnsafePointer<CChar>?>.size
        guard mallctl("version", &version, &size, nil, 0) == 0, let version else { return "jemalloc" }
        return "jemalloc " + String(cString: version)
    }
}

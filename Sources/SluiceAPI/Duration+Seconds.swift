/// A `Duration` as fractional seconds, for rates in log lines and for `Date`/`DispatchTime`-based waits.
extension Duration {
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

import NIOCore

/// Routes each response payload to the request waiting for its correlation id; fails every waiter when the
/// connection breaks.
final class KafkaResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let pending: KafkaPendingRequests

    init(pending: KafkaPendingRequests) { self.pending = pending }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var payload = Self.unwrapInboundIn(data)
        guard let correlationId = payload.readInteger(as: Int32.self) else { return }
        let bytes = payload.readBytes(length: payload.readableBytes) ?? []
        if !pending.complete(correlationId, with: .success(bytes)) {
            pending.failAll(KafkaWireError.unexpectedCorrelationId(correlationId))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending.failAll(KafkaWireError.connection("connection to \(pending.peer) closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let wire = error as? KafkaWireError ?? KafkaWireError.connection("connection to \(pending.peer) failed: \(error)")
        pending.failAll(wire)
        context.close(promise: nil)
    }
}

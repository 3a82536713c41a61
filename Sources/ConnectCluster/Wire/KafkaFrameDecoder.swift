import NIOCore

/// Splits the inbound byte stream into Kafka response frames (int32 size + payload) and hands each payload on.
///
/// A size below 4 (no room for a correlation id) or above `maxFrameSize` means the stream is not Kafka (or is
/// corrupt): decoding throws, which closes the connection instead of buffering without bound.
struct KafkaFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 4, Int(size) <= maxFrameSize else {
            throw KafkaWireError.malformed(context: "Kafka response frame", field: "size", offset: 0, reason: "frame size \(size) outside 4...\(maxFrameSize)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let payload = buffer.readSlice(length: Int(size)) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(payload))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

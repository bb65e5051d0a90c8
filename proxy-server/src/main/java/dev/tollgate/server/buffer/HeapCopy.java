package dev.tollgate.server.buffer;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Copies of body bytes in a byte array, for the code that reads every byte: the usage parsers and
 * the SSE framer. Bodies arrive in direct buffers, and a Java loop over {@code ByteBuf.getByte} or
 * a direct {@code ByteBuffer} costs several times what the same loop over an array costs; one bulk
 * copy per chunk (a {@code memcpy}) pays for itself many times over (see bench/README.md).
 *
 * <p>Each event-loop thread has one scratch array per {@code HeapCopy}, grown to the largest chunk
 * it has seen and reused for every chunk after. A copy is valid until the next {@link #of} on the
 * same thread, so each reader that may be active while another copies owns its own
 * {@code HeapCopy}, and nobody keeps a copy past the call it was made for.
 */
public final class HeapCopy {

    private static final int INITIAL_BYTES = 16 * 1024;

    private final FastThreadLocal<Scratch> scratch = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /**
     * The readable bytes of {@code buf} at {@code array()[0, remaining)} of the returned buffer,
     * whose position is 0. The buffer is this thread's scratch view: read it before the next call.
     */
    public ByteBuffer of(ByteBuf buf) {
        return of(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Like {@link #of(ByteBuf)}, for {@code length} bytes of {@code buf} from {@code index}. */
    public ByteBuffer of(ByteBuf buf, int index, int length) {
        Scratch s = scratch.get();
        ByteBuffer view = s.ensure(length);
        buf.getBytes(index, view.array(), 0, length);
        return view.limit(length).position(0);
    }

    private static final class Scratch {
        private ByteBuffer view = ByteBuffer.allocate(INITIAL_BYTES);

        ByteBuffer ensure(int length) {
            if (view.capacity() < length) {
                view = ByteBuffer.allocate(Math.max(length, view.capacity() * 2));
            }
            return view.clear();
        }
    }
}

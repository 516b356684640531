package org.quicproquo.fuzz;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.BufferUnderflowException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.capnproto.AnyPointer;
import org.capnproto.Data;
import org.capnproto.DecodeException;
import org.capnproto.ListReader;
import org.capnproto.StructFactory;
import org.capnproto.StructReader;
import org.capnproto.Text;

/**
 * Reads every field of a generated Cap'n Proto reader, recursively, the way an application that
 * trusts nothing would: all getters, {@code has}/{@code is}/{@code which} accessors, every list
 * element, every Text and Data value.
 *
 * <p>Getters are found by reflection on the generated {@code Reader} classes, so new schema fields
 * are covered without touching this class. Each getter runs on its own: a getter that fails with an
 * {@linkplain #isMalformedInput accepted malformed-input exception} does not stop the walk of its
 * siblings (so the fuzzer still reaches them); any other exception escapes as a finding.
 *
 * <p>{@code AnyPointer} fields (RPC payloads) are read as each struct in {@code interpretAs}, as the
 * RPC layer does once it knows the method.
 */
final class CapnpWalker {
  /** A safety net only: the reader's nesting limit stops real recursion long before this. */
  private static final int MAX_DEPTH = 64;

  /** Accessors of each generated Reader class, in name order (reflection is slow per call). */
  private static final ClassValue<List<Method>> ACCESSORS = new ClassValue<>() {
    @Override
    protected List<Method> computeValue(Class<?> type) {
      Method[] methods = type.getDeclaredMethods();
      Arrays.sort(methods, Comparator.comparing(Method::getName));
      return Arrays.stream(methods).filter(CapnpWalker::isAccessor).toList();
    }
  };

  private final List<StructFactory<?, ?>> interpretAs;

  CapnpWalker(List<StructFactory<?, ?>> interpretAs) {
    this.interpretAs = List.copyOf(interpretAs);
  }

  /**
   * What the Cap'n Proto Java runtime (0.1.16) throws for malformed input while reading: its own
   * {@link DecodeException} for pointers it checks (bounds, types, traversal and nesting limits);
   * {@link IndexOutOfBoundsException} / {@link BufferUnderflowException} where it reads a
   * segment's {@code ByteBuffer} at an offset taken from the message without checking it first;
   * and {@link IllegalArgumentException} thrown by {@code java.nio.Buffer.position/limit} when
   * called from {@code org.capnproto} code — found by these targets: a Data or Text pointer whose
   * offset or size lies outside its segment is not rejected by the runtime, and
   * {@code Data.Reader.toArray()} then fails in {@code ByteBuffer.position} (reproducers
   * committed as {@code CapnpFuzzTestInputs/*}{@code /data-pointer-out-of-segment-*}).
   *
   * <p>All of these mean "these bytes are not a valid message" and leave no state behind; the
   * reads never leave the segment's own buffer. Every qpq boundary that reads untrusted Cap'n
   * Proto must therefore catch them and map them to its typed error, as
   * {@code AppMessageCodec} does (it catches {@code RuntimeException}). Anything else — a
   * NullPointerException, NegativeArraySizeException, OutOfMemoryError, an
   * IllegalArgumentException from anywhere else, an endless loop — is a finding.
   */
  static boolean isMalformedInput(Throwable t) {
    return t instanceof DecodeException || t instanceof IndexOutOfBoundsException
        || t instanceof BufferUnderflowException
        || (t instanceof IllegalArgumentException && isRuntimeBufferBoundsCheck(t));
  }

  /** True if {@code t} comes from java.nio.Buffer bounds checks called by the capnp runtime. */
  private static boolean isRuntimeBufferBoundsCheck(Throwable t) {
    StackTraceElement[] trace = t.getStackTrace();
    int i = 0;
    while (i < trace.length && trace[i].getClassName().startsWith("java.nio.")) {
      i++;
    }
    return i > 0 && i < trace.length && trace[i].getClassName().startsWith("org.capnproto.");
  }

  /** Every struct type nested (at any depth) in {@code outer}, found by its {@code factory} field. */
  static List<StructFactory<?, ?>> structFactories(Class<?> outer) {
    List<StructFactory<?, ?>> out = new ArrayList<>();
    collect(outer, out);
    return out;
  }

  private static void collect(Class<?> c, List<StructFactory<?, ?>> out) {
    Class<?>[] nested = c.getDeclaredClasses();
    Arrays.sort(nested, Comparator.comparing(Class::getName));
    for (Class<?> n : nested) {
      try {
        Field f = n.getDeclaredField("factory");
        if (Modifier.isStatic(f.getModifiers()) && StructFactory.class.isAssignableFrom(f.getType())) {
          out.add((StructFactory<?, ?>) f.get(null));
        }
      } catch (NoSuchFieldException e) {
        // not a struct (an interface, enum or group holder): look inside only
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      collect(n, out);
    }
  }

  /** Walks {@code value}; malformed-input exceptions of individual reads are absorbed. */
  void walk(Object value) {
    walk(value, 0);
  }

  private void walk(Object value, int depth) {
    if (value == null || depth > MAX_DEPTH) {
      return;
    }
    if (value instanceof Text.Reader t) {
      t.toString();
    } else if (value instanceof Data.Reader d) {
      d.toArray();
    } else if (value instanceof AnyPointer.Reader p) {
      if (!p.isNull()) {
        for (StructFactory<?, ?> f : interpretAs) {
          read(() -> p.getAs(f), depth);
        }
      }
    } else if (value instanceof ListReader l) {
      Method get = method(l.getClass(), "get", int.class);
      for (int i = 0; i < l.size(); i++) {
        int index = i;
        read(() -> invoke(get, l, index), depth);
      }
    } else if (value instanceof StructReader) {
      for (Method m : ACCESSORS.get(value.getClass())) {
        read(() -> invoke(m, value), depth);
      }
    }
  }

  /** Runs one read and walks its result; only malformed-input exceptions are absorbed. */
  private void read(Read read, int depth) {
    Object result;
    try {
      result = read.run();
    } catch (RuntimeException e) {
      if (isMalformedInput(e)) {
        return;
      }
      throw e;
    }
    try {
      walk(result, depth + 1);
    } catch (RuntimeException e) {
      if (!isMalformedInput(e)) {
        throw e;
      }
    }
  }

  @FunctionalInterface
  private interface Read {
    Object run();
  }

  private static boolean isAccessor(Method m) {
    String n = m.getName();
    return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
        && m.getParameterCount() == 0
        && (n.startsWith("get") || n.startsWith("has") || n.startsWith("is") || n.equals("which"));
  }

  private static Method method(Class<?> c, String name, Class<?>... params) {
    try {
      return c.getMethod(name, params);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(c + " has no " + name, e);
    }
  }

  /** Reflective call that rethrows what the target threw as itself, so findings name it. */
  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}

import Dispatch

/// `transform` of each of `items`, run on all cores at once; the results in the items' order.
///
/// For a few coarse jobs (whole files): each job is one iteration, so the calling thread waits
/// for the slowest.
///
/// ```swift
/// let digests = concurrentMap(paths) { ImportJob.sha256(ofFile: $0) }
/// ```
func concurrentMap<Items: RandomAccessCollection, R>(_ items: Items, _ transform: (Items.Element) -> R) -> [R] {
    let elements = Array(items)
    let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: elements.count)
    results.initialize(repeating: nil)
    defer { results.deinitialize().deallocate() }
    // Each iteration writes its own slot and reads only its own item.
    nonisolated(unsafe) let (out, input) = (results, elements)
    withoutActuallyEscaping(transform) { transform in
        nonisolated(unsafe) let transform = transform
        DispatchQueue.concurrentPerform(iterations: input.count) { out[$0] = transform(input[$0]) }
    }
    return results.map { $0! }
}

/**
 * The service tree as a graph (SPEC §1): {@link dev.mode.graph.Node} (a service's place in the tree,
 * from {@code Service.beacon()}), and {@link dev.mode.graph.DependencyGraph}: DOT and Mermaid
 * export, topological order, and {@link dev.mode.graph.DependencyGraph#walk}, <b>the one tree
 * walk</b> (pre-order, depth from 1) that every module uses instead of recursing over {@code
 * dependencies()}.
 *
 * <p>The package cycle with {@code dev.mode} is fixed by SPEC §1 and stays: {@code
 * Service.beacon()} returns a {@code Node}, and {@code Node.service()} returns the {@code Service}.
 * Apart from that, this package reads services only through their public API ({@code
 * dependencies()}, {@code parent()}, {@code path()}, {@code label()}, {@code state()}).
 *
 * <p>Who may change what: this package's owner; the shapes named in SPEC §1 ({@code Node}'s
 * methods, {@code of}, {@code toDot}, {@code toMermaid}, {@code topologicalOrder}) are fixed, and
 * {@code walk}'s order and depth numbering are relied on by the worker, the admin and the benchmarks.
 */
package dev.mode.graph;

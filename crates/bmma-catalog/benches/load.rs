//! How long loading and validating the built-in framework takes: done at every start and
//! whenever a framework is imported.

use criterion::{Criterion, criterion_group, criterion_main};

fn load_builtin(c: &mut Criterion) {
    let (name, text) = bmma_catalog::BUILTIN[0];
    c.bench_function("load and validate the built-in framework", |b| {
        b.iter(|| bmma_catalog::load_str(name, std::hint::black_box(text)).unwrap())
    });
}

criterion_group!(benches, load_builtin);
criterion_main!(benches);

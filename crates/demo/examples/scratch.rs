use linkong_demo::*;
fn main() {
    for seed in [1u64, 2, 3, 20_250_301] {
        let e = employers(seed, 2000);
        let p: Vec<DemoPost> = posts(seed, &e).take(20000).collect();
        let em = p.iter().filter(|p| p.emerging).count() as f64 / p.len() as f64;
        let pos: i64 = p.iter().map(|p| p.positions).sum();
        let epos: i64 = p.iter().filter(|p| p.emerging).map(|p| p.positions).sum();
        let mut sal: Vec<i64> = p.iter().map(|p| p.salary_min).collect(); sal.sort();
        println!("seed {seed}: emerging posts {em:.3} positions {:.3}; salary_min median {} p90 {} max {}", epos as f64 / pos as f64, sal[10000], sal[18000], sal[19999]);
    }
}

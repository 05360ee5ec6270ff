//! Writes the benchmark data sets to the paths given:
//! `generate_bench_data transactions FILE CUSTOMERS SEED` — customers simulated from the CDNOW
//! BG/NBD and Gamma-Gamma estimates, first purchases in 1997-Q1, observed to 1998-06-30;
//! `generate_bench_data baskets FILE ORDERS PRODUCTS SEED` — baskets with planted bundles.

use std::io::{BufWriter, Write};

use rehber_analytics::bgnbd::BgNbdParams;
use rehber_analytics::gamma_gamma::GammaGammaParams;
use rehber_analytics::simulate::{simulate_baskets, simulate_transactions};

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> Result<T, String> {
    args.get(i)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("argument {i} ({name}) missing or invalid"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).cloned().unwrap_or_default();
    let path: String = arg(&args, 2, "FILE")?;
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    match kind.as_str() {
        "transactions" => {
            let customers: u32 = arg(&args, 3, "CUSTOMERS")?;
            let seed: u64 = arg(&args, 4, "SEED")?;
            let bg = BgNbdParams { r: 0.242595, alpha: 4.413603, a: 0.792922, b: 2.425906 };
            let gg = GammaGammaParams { p: 6.24957, q: 3.74422, gamma: 15.44352 };
            let start = jiff::civil::date(1997, 1, 1);
            let rows = simulate_transactions(&bg, &gg, customers, start, 90, jiff::civil::date(1998, 6, 30), seed);
            writeln!(out, "customer_id,date,amount")?;
            for t in &rows {
                writeln!(out, "{},{},{:.2}", t.customer + 1, t.date, t.amount)?;
            }
            eprintln!("{path}: {} transactions of {customers} customers", rows.len());
        }
        "baskets" => {
            let orders: usize = arg(&args, 3, "ORDERS")?;
            let products: u32 = arg(&args, 4, "PRODUCTS")?;
            let seed: u64 = arg(&args, 5, "SEED")?;
            let baskets = simulate_baskets(orders, products, seed);
            writeln!(out, "order_id,product_id")?;
            let mut rows = 0;
            for (o, basket) in baskets.iter().enumerate() {
                for item in basket {
                    writeln!(out, "{},{}", o + 1, item + 1)?;
                    rows += 1;
                }
            }
            eprintln!("{path}: {rows} rows in {orders} orders");
        }
        _ => return Err("usage: generate_bench_data transactions FILE CUSTOMERS SEED | baskets FILE ORDERS PRODUCTS SEED".into()),
    }
    out.flush()?;
    Ok(())
}

// bench/peers/rust/ast_fold.rs: the Rust peer of programs/ast_fold.c.
//
// Idiomatic Rust: an expression is an enum (Const, Var, Neg, Bin) whose operands are
// Box<Expr> (hl_new and the owned Node fields; the enum makes the unused operand of a leaf or
// of Neg unrepresentable instead of HL_NULL); the unit is a Vec<Box<Expr>> (the refs buffer);
// the source text is a String that grows by itself (the doubling bytes buffer); the parser
// reads the text through a borrowed &[u8] and reports failure with Option instead of an ok
// flag; evaluation borrows a tree (&Expr for HL_READ) and the environment as a slice indexed
// with bounds checks (the bytes buffer of u64); folding takes a tree by value and returns a
// new one (hl_move), so the nodes it replaces are freed when their Box goes out of scope
// (hl_drop). The same draws in the same order, output lines and checksum line as the C program.
#[path = "common.rs"]
mod common;

use common::{mix, Rng, Spec, CHECK_INIT};
use std::fmt::Write;
use std::process::exit;

const UNIT: usize = 256;
const MAX_DEPTH: u64 = 9;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
}

enum Expr {
    Const(u64),
    Var(usize),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

// ---- source generation ----------------------------------------------------------------------

fn gen_expr(out: &mut String, rng: &mut Rng, depth: u32, nvars: usize) {
    let pick = rng.below(100);
    if depth == 0 || pick < 25 {
        if nvars > 0 && rng.below(100) < 35 {
            write!(out, "v{}", rng.below(nvars as u64)).unwrap();
        } else {
            let c = match rng.below(10) {
                0 => 0,
                1 => 1,
                _ => rng.below(1000),
            };
            write!(out, "{}", c).unwrap();
        }
    } else if pick < 35 {
        out.push('-');
        gen_expr(out, rng, depth - 1, nvars);
    } else {
        out.push('(');
        gen_expr(out, rng, depth - 1, nvars);
        out.push_str([" + ", " - ", " * "][rng.below(3) as usize]);
        gen_expr(out, rng, depth - 1, nvars);
        out.push(')');
    }
}

// ---- parsing --------------------------------------------------------------------------------

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n') = self.s.get(self.pos) {
            self.pos += 1;
        }
        self.s.get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        if self.peek() != Some(c) {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    fn number(&mut self) -> Option<u64> {
        if !self.peek()?.is_ascii_digit() {
            return None;
        }
        let mut v: u64 = 0;
        while let Some(&d @ b'0'..=b'9') = self.s.get(self.pos) {
            v = v.wrapping_mul(10).wrapping_add((d - b'0') as u64);
            self.pos += 1;
        }
        Some(v)
    }

    fn unary(&mut self) -> Option<Box<Expr>> {
        match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                Some(Box::new(Expr::Neg(self.unary()?)))
            }
            Some(b'(') => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect(b')')?;
                Some(e)
            }
            Some(b'v') => {
                self.pos += 1;
                Some(Box::new(Expr::Var(self.number()? as usize)))
            }
            _ => Some(Box::new(Expr::Const(self.number()?))),
        }
    }

    fn term(&mut self) -> Option<Box<Expr>> {
        let mut left = self.unary()?;
        while self.peek() == Some(b'*') {
            self.pos += 1;
            left = Box::new(Expr::Bin(Op::Mul, left, self.unary()?));
        }
        Some(left)
    }

    fn expr(&mut self) -> Option<Box<Expr>> {
        let mut left = self.term()?;
        loop {
            let op = match self.peek() {
                Some(b'+') => Op::Add,
                Some(b'-') => Op::Sub,
                _ => return Some(left),
            };
            self.pos += 1;
            left = Box::new(Expr::Bin(op, left, self.term()?));
        }
    }

    /// `vK = expr;` for statement k.
    fn statement(&mut self, k: usize) -> Option<Box<Expr>> {
        self.expect(b'v')?;
        if self.number()? != k as u64 {
            return None;
        }
        self.expect(b'=')?;
        let e = self.expr()?;
        self.expect(b';')?;
        Some(e)
    }
}

// ---- evaluation and folding -----------------------------------------------------------------

impl Op {
    fn apply(self, a: u64, b: u64) -> u64 {
        match self {
            Op::Add => a.wrapping_add(b),
            Op::Sub => a.wrapping_sub(b),
            Op::Mul => a.wrapping_mul(b),
        }
    }
}

impl Expr {
    fn eval(&self, env: &[u64]) -> u64 {
        match self {
            Expr::Const(v) => *v,
            Expr::Var(i) => env[*i],
            Expr::Neg(a) => a.eval(env).wrapping_neg(),
            Expr::Bin(op, a, b) => op.apply(a.eval(env), b.eval(env)),
        }
    }

    fn count(&self) -> u64 {
        match self {
            Expr::Const(_) | Expr::Var(_) => 1,
            Expr::Neg(a) => 1 + a.count(),
            Expr::Bin(_, a, b) => 1 + a.count() + b.count(),
        }
    }

    fn constant(&self) -> Option<u64> {
        match self {
            Expr::Const(v) => Some(*v),
            _ => None,
        }
    }
}

/// Fold a tree: consumes it and returns the folded tree. Leaves are kept as they are; every
/// operator node is rebuilt, and the nodes that fold away are freed.
fn fold(e: Box<Expr>) -> Box<Expr> {
    match *e {
        Expr::Const(_) | Expr::Var(_) => e,
        Expr::Neg(a) => {
            let a = fold(a);
            match *a {
                Expr::Const(v) => Box::new(Expr::Const(v.wrapping_neg())),
                Expr::Neg(x) => x, // --x = x
                _ => Box::new(Expr::Neg(a)),
            }
        }
        Expr::Bin(op, a, b) => {
            let a = fold(a);
            let b = fold(b);
            match (op, a.constant(), b.constant()) {
                (_, Some(av), Some(bv)) => Box::new(Expr::Const(op.apply(av, bv))),
                // Identities: keep one operand, the other is freed.
                (Op::Add | Op::Sub, _, Some(0)) => a,
                (Op::Add, Some(0), _) => b,
                (Op::Mul, Some(0), _) | (Op::Mul, _, Some(1)) => a,
                (Op::Mul, _, Some(0)) | (Op::Mul, Some(1), _) => b,
                _ => Box::new(Expr::Bin(op, a, b)),
            }
        }
    }
}

// ---- driver ---------------------------------------------------------------------------------

fn main() {
    let spec = Spec {
        name: "ast_fold",
        about: "parse, constant-fold and evaluate generated arithmetic programs",
        what: "number of statements (rounded up to units of 256)",
        dflt: 280000,
        min: 1,
        max: 1000000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0xa57);
    let mut sum = CHECK_INIT;
    let (mut nodes_before, mut nodes_after, mut text_bytes, mut units) = (0u64, 0u64, 0u64, 0u64);
    let mut done = 0u64;
    while done < n {
        // Generate the unit's source text.
        let mut text = String::with_capacity(64);
        for k in 0..UNIT {
            write!(text, "v{} = ", k).unwrap();
            let depth = 1 + rng.below(MAX_DEPTH) as u32;
            gen_expr(&mut text, &mut rng, depth, k);
            text.push_str(";\n");
        }
        text_bytes += text.len() as u64;
        // Parse it: statement k assigns variable k.
        let mut unit: Vec<Box<Expr>> = Vec::with_capacity(UNIT);
        let mut p = Parser { s: text.as_bytes(), pos: 0 };
        for k in 0..UNIT {
            match p.statement(k) {
                Some(e) => unit.push(e),
                None => break,
            }
        }
        if unit.len() < UNIT || p.peek().is_some() {
            eprintln!("ast_fold: error: parse error at byte {} of unit {}", p.pos, units);
            exit(1);
        }
        drop(text);
        // Evaluate, fold, evaluate again.
        let mut env = vec![0u64; UNIT];
        for (k, e) in unit.iter().enumerate() {
            nodes_before += e.count();
            env[k] = e.eval(&env);
        }
        let mut env2 = vec![0u64; UNIT];
        let mut folded: Vec<Box<Expr>> = Vec::with_capacity(UNIT);
        for (k, e) in unit.into_iter().enumerate() {
            let e = fold(e);
            nodes_after += e.count();
            let v = e.eval(&env2);
            env2[k] = v;
            if v != env[k] {
                eprintln!("ast_fold: error: folding changed v{} of unit {}", k, units);
                exit(1);
            }
            sum = mix(sum, v);
            folded.push(e);
        }
        done += UNIT as u64;
        units += 1;
    }
    println!(
        "{} units, {} bytes of source, {} nodes parsed, {} after folding",
        units, text_bytes, nodes_before, nodes_after
    );
    sum = mix(sum, nodes_before);
    sum = mix(sum, nodes_after);
    sum = mix(sum, text_bytes);
    spec.print_checksum(n as i64, sum);
}

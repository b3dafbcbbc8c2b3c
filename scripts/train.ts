// npm run train -- --data DIR --out models/NAME [options]: pretrain the backbone, train the set heads, calibrate.
import { parseArgs } from "node:util";
import type { BackbonePooling } from "../lib/ml/backbone";
import { createCliReporter } from "../lib/ml/cli-reporter";
import { ensureBackend } from "../lib/ml/runtime";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig, trainModel } from "../lib/ml/train";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    out: { type: "string" },
    seed: { type: "string", default: "1" },
    "input-size": { type: "string" },
    cells: { type: "string" },
    filters: { type: "string" },
    "stem-reductions": { type: "string" },
    pooling: { type: "string" },
    "pretrain-epochs": { type: "string" },
    "pretrain-photos": { type: "string" },
    "pretrain-batch": { type: "string" },
    "aux-weight": { type: "string" },
    "damage-weight": { type: "string" },
    "brand-weight": { type: "string" },
    "variant-weight": { type: "string" },
    "head-epochs": { type: "string" },
    workers: { type: "string" },
    "with-predictions": { type: "boolean", default: false },
    fusions: { type: "string" },
    backbone: { type: "string" },
    normalization: { type: "string" },
    version: { type: "string" },
    backend: { type: "string" },
    resume: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help || !values.data || !values.out) {
  process.stderr.write(`usage: npm run train -- --data DIR --out models/NAME
  --seed N               (default 1)
  --input-size PX        NASNet input size (default ${DEFAULT_TRAIN_CONFIG.backbone.inputSize})
  --cells N --filters F  NASNet "N @ F" (default ${DEFAULT_TRAIN_CONFIG.backbone.cells} @ ${DEFAULT_TRAIN_CONFIG.backbone.penultimateFilters})
  --stem-reductions N    reduction cells in the stem (default ${DEFAULT_TRAIN_CONFIG.backbone.stemReductions})
  --pooling avg|avg-max  global pooling of the last stack; avg-max doubles the features (default ${DEFAULT_TRAIN_CONFIG.backbone.pooling ?? "avg"})
  --pretrain-epochs N    single-photo pretraining epochs (default ${DEFAULT_TRAIN_CONFIG.pretrain.epochs})
  --pretrain-photos N    cap on pretraining photos, 0 = all (default 0)
  --pretrain-batch N     (default ${DEFAULT_TRAIN_CONFIG.pretrain.batchSize})
  --damage-weight W      pretraining loss weight of the damage target (default ${DEFAULT_TRAIN_CONFIG.pretrain.damageWeight})
  --aux-weight W         pretraining loss weight of the price target, and of brand unless --brand-weight (default ${DEFAULT_TRAIN_CONFIG.pretrain.auxWeight})
  --brand-weight W       pretraining loss weight of the brand-tier target (default: the aux weight)
  --variant-weight W     pretraining loss weight of the variant and label-storage targets (default 0: off)
  --with-predictions     set head also sees the pretraining heads' per-photo predictions (default: features only)
  --workers N            worker threads for data-parallel pretraining (default 1)
  --head-epochs N        (default ${DEFAULT_TRAIN_CONFIG.head.epochs})
  --fusions a,b          slot fusions to compare: concat, film (default concat,film)
  --backbone PATH        a tfjs LayersModel model.json to use (frozen) instead of training NASNet
  --normalization S,O    model input = pixel*S + O (default 1/255,0; Keras NASNet wants 0.00784314,-1)
  --backend NAME         wasm | cpu | tensorflow (default: automatic)
  --version ID           model version id (default NAME-date-datahash)
  --resume               continue backbone pretraining from the last epoch checkpoint in --out
`);
  process.exit(values.help ? 0 : 2);
}

function parsePooling(v: string | undefined): BackbonePooling | undefined {
  if (v === undefined || v === "avg" || v === "avg-max") return v;
  process.stderr.write(`--pooling must be avg or avg-max, got "${v}"\n`);
  process.exit(2);
}
const int = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number.parseInt(v, 10));
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const d = DEFAULT_TRAIN_CONFIG;
const [scale, offset] = values.normalization
  ? values.normalization.split(",").map(Number)
  : [d.normalization.scale, d.normalization.offset];
const config: TrainConfig = {
  ...d,
  data: values.data,
  out: values.out,
  seed: int(values.seed, d.seed),
  backbone: {
    ...d.backbone,
    inputSize: int(values["input-size"], d.backbone.inputSize),
    cells: int(values.cells, d.backbone.cells),
    penultimateFilters: int(values.filters, d.backbone.penultimateFilters),
    stemReductions: int(values["stem-reductions"], d.backbone.stemReductions),
    pooling: parsePooling(values.pooling) ?? d.backbone.pooling,
    seed: int(values.seed, d.seed),
  },
  backbonePath: values.backbone,
  normalization: { scale, offset },
  pretrain: {
    ...d.pretrain,
    epochs: int(values["pretrain-epochs"], d.pretrain.epochs),
    maxPhotos: int(values["pretrain-photos"], d.pretrain.maxPhotos),
    batchSize: int(values["pretrain-batch"], d.pretrain.batchSize),
    auxWeight: num(values["aux-weight"], d.pretrain.auxWeight),
    damageWeight: num(values["damage-weight"], d.pretrain.damageWeight),
    ...(values["brand-weight"] === undefined ? {} : { brandWeight: Number(values["brand-weight"]) }),
    variantWeight: num(values["variant-weight"], 0),
    workers: int(values.workers, d.pretrain.workers),
  },
  head: {
    ...d.head,
    epochs: int(values["head-epochs"], d.head.epochs),
    fusions: values.fusions ? (values.fusions.split(",") as TrainConfig["head"]["fusions"]) : d.head.fusions,
    pretrainPredictions: values["with-predictions"],
  },
  resume: values.resume,
  version: values.version,
};

const reporter = createCliReporter();
const backend = await ensureBackend(values.backend as Parameters<typeof ensureBackend>[0], reporter.log);
reporter.log(`backend: ${backend}`);
const card = await trainModel(config, reporter);
reporter.log(`wrote ${values.out}/model.json (version ${card.version})`);

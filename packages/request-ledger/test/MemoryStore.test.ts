import { MemoryStore } from "../src/index.ts"
import { storeContract } from "./contract.ts"

storeContract("in-memory", () => MemoryStore.layer)

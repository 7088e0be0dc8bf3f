import { Console, Effect } from "effect"
import { program } from "./first-program.ts"

Effect.runPromise(Effect.flatMap(program, (result) => Console.log(result)))

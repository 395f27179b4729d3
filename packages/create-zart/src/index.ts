export { CreateProjectError, type CreateProjectOptions, createProject } from "./create-project.js";

export interface paths {
  "/health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the server answers (no token needed) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ok";
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/admin/sweep": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reclaim expired leases and time out stale units now (the server also sweeps every few seconds) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description one instance (id or name); left out: every instance */
            instanceId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              reclaimed: number;
              timedOut: number;
              /** @description what this sweep could not move; everything else was moved */
              failures: {
                instanceId: string;
                /** @description absent when the instance as a whole could not be swept */
                uowId?: string;
                /** @enum {string} */
                move: "reclaim" | "timeout" | "instance";
                /** @description the error's class and message */
                error: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/templates": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List every stored blueprint version */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              workflowId: string;
              name: string;
              version: number;
              /** Format: date-time */
              createdAt: string;
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /**
     * Import a blueprint
     * @description The body is the blueprint YAML with `Content-Type: application/yaml`, or JSON `{ "yaml": "..." }`. Every workflow of the blueprint is stored, or none is; an unchanged one stores nothing (`created: false`).
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the blueprint YAML text */
            yaml: string;
          };
          "application/yaml": string;
          "application/x-yaml": string;
          "text/yaml": string;
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              workflows: {
                workflowId: string;
                name: string;
                version: number;
                /** @description false: the same structure was stored already */
                created: boolean;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List instances */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              instanceId: string;
              name: string;
              status: string;
              /** Format: date-time */
              deploymentDate: string;
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /** Create an instance of a workflow, with its actors */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description name of the master workflow in the template store */
            workflow: string;
            /** @description its version (default: the newest) */
            version?: number;
            /** @description instance name, unique */
            name: string;
            description?: string;
            actors?: {
              name: string;
              /** @enum {string} */
              type: "HUMAN" | "AI_AGENT";
              /** @description who the actor is outside Chameleon (e-mail, agent key, ...) */
              identityKey: string;
              /** @description role names to assign */
              roles?: string[];
              description?: string;
              /** @description any JSON value */
              aiContext?: unknown;
              /** @description a JSON object */
              capabilities?: {
                [key: string]: unknown;
              };
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              instanceId: string;
              name: string;
              masterWorkflowId: string;
              systemActorId: string;
              actors: {
                actorId: string;
                name: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Show an instance: workflows, roles, actors and their roles */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              instanceId: string;
              name: string;
              status: string;
              /** Format: date-time */
              deploymentDate: string;
              description: string | null;
              masterWorkflowId: string;
              workflows: {
                localWorkflowId: string;
                name: string;
                version: number;
                isMaster: boolean;
              }[];
              roles: {
                roleId: string;
                name: string;
                type: string;
                workflow: string;
              }[];
              actors: {
                actorId: string;
                name: string;
                type: string;
                identityKey: string;
                roles: string[];
              }[];
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/actors": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add an actor to an instance */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            name: string;
            /** @enum {string} */
            type: "HUMAN" | "AI_AGENT";
            /** @description who the actor is outside Chameleon (e-mail, agent key, ...) */
            identityKey: string;
            /** @description role names to assign */
            roles?: string[];
            description?: string;
            /** @description any JSON value */
            aiContext?: unknown;
            /** @description a JSON object */
            capabilities?: {
              [key: string]: unknown;
            };
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              actorId: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/actors/{actor}/roles/{role}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Assign a role to an actor */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description actor id or name */
          actor: string;
          /** @description role name */
          role: string;
        };
        cookie?: never;
      };
      /** @description no fields: send {} or no body */
      requestBody: {
        content: {
          "application/json": Record<string, never>;
        };
      };
      responses: {
        /** @description no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    post?: never;
    /** Revoke an actor's role */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description actor id or name */
          actor: string;
          /** @description role name */
          role: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/actors/{actor}/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue a bearer token for an actor
     * @description The token is in this response only; the store keeps its hash. It acts as that actor, in its instance.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description actor id or name */
          actor: string;
        };
        cookie?: never;
      };
      /** @description no fields: send {} or no body */
      requestBody: {
        content: {
          "application/json": Record<string, never>;
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the bearer token; shown once, only its hash is stored */
              token: string;
              tokenId: string;
              actorId: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/tokens/{tokenId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an actor token */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description token id (a UUID), as returned when the token was issued */
          tokenId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description no content */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List units by filters and a `where` condition, sorted, a page at a time
     * @description Filters: status, interaction, waiting role (`includeHeld=true`: and the units of its interactions someone holds), parent, holder, created and entered ranges, and `where`, a condition over the attributes evaluated as guardians evaluate it (at most 10,000 units are read per request; the next page goes on from there). `attributes=a,b` adds those values to each row (`attributes=*` every attribute). The `Link: <...>; rel="next"` header names the next page; none on the last.
     */
    get: {
      parameters: {
        query?: {
          status?: "PENDING" | "ACTIVE" | "COMPLETED" | "FAILED" | "TIMEOUT" | "FINALIZED";
          /** @description units in this interaction */
          interaction?: string;
          /** @description units waiting for this role */
          role?: string;
          /** @description with role: also the units of its interactions that someone holds now */
          includeHeld?: "true" | "false";
          /** @description children of this unit */
          parentId?: string;
          /** @description units held by this actor (id or name) */
          heldBy?: string;
          /** @description created at or after this time (ISO 8601 with offset) */
          createdFrom?: string;
          /** @description created before this time */
          createdBefore?: string;
          /** @description entered their interaction at or after this time */
          enteredFrom?: string;
          /** @description entered their interaction before this time */
          enteredBefore?: string;
          /** @description a condition over the attributes, as guardians evaluate it: amount > 5000 and vendor == 'ACME' */
          where?: string;
          sort?: "createdAt" | "enteredInteractionAt" | "updatedAt" | "attempt";
          order?: "asc" | "desc";
          /** @description at most this many units (1 to 100000) */
          limit?: string;
          /** @description uowId of the last unit of the previous page (the Link header gives it) */
          after?: string;
          /** @description attribute keys to show per row, comma-separated; * for every attribute */
          attributes?: string;
        };
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description a page of units; a `Link: <...>; rel="next"` header gives the next page */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              parentId: string | null;
              workflow: string;
              status: string;
              interaction: string;
              childCount: number;
              finishedChildCount: number;
              attempt: number;
              /** @description name of the actor holding the unit */
              heldBy: string | null;
              /** @description when the current lease runs out unless renewed */
              leaseExpiresAt: string | null;
              /** Format: date-time */
              enteredInteractionAt: string;
              /** Format: date-time */
              createdAt: string;
              /** Format: date-time */
              updatedAt: string;
              /** @description the keys asked for in `attributes` */
              attributes?: {
                [key: string]: unknown;
              };
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    /**
     * Start work (genesis): a new base unit
     * @description The actor needs the ALPHA role; the admin may leave `actorId` out (SYSTEM starts it). With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description a JSON object */
            attributes?: {
              [key: string]: unknown;
            };
            /** @description the actor holding the ALPHA role; the admin may leave it out (SYSTEM) */
            actorId?: string;
            reasoning?: string;
            /** @description the same key returns the unit the first call made (or send the Idempotency-Key header) */
            idempotencyKey?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              /** @description false: a start with the same idempotency key made this unit before */
              created: boolean;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/held": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The units the calling actor holds, with their lease tokens
     * @description Takes up a claim whose answer was lost (an ambiguous checkout, a restarted agent, a reloaded page). An actor token sees its own units; the admin names the actor in `actorId`.
     */
    get: {
      parameters: {
        query?: {
          role?: string;
          /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
          actorId?: string;
        };
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              leaseToken: string;
              role: string;
              interaction: string;
              workflow: string;
              parentId: string | null;
              attempt: number;
              /** Format: date-time */
              leaseExpiresAt: string;
              /** @description the fields the role's submit takes (its blueprint's form), or null when it declares none */
              form:
                | {
                    key: string;
                    /** @enum {string} */
                    type: "number" | "text" | "boolean" | "choice" | "json";
                    label?: string;
                    required?: boolean;
                    choices?: (string | number | boolean)[];
                    /** @description any JSON value */
                    default?: unknown;
                  }[]
                | null;
              /** @description a JSON object */
              attributes: {
                [key: string]: unknown;
              };
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/checkout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Check out the oldest unit waiting for a role
     * @description Returns the unit with a lease token, or null when none is waiting. With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description role to take work for */
            role: string;
            /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
            actorId?: string;
            /** @description the unit to take: that unit or a 409 saying why not (default: the oldest) */
            uowId?: string;
          };
        };
      };
      responses: {
        /** @description the unit checked out, or null when no unit is waiting for the role */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              /** @description send it with heartbeat, submit, fail and release */
              leaseToken: string;
              role: string;
              interaction: string;
              workflow: string;
              parentId: string | null;
              attempt: number;
              /**
               * Format: date-time
               * @description when the lease runs out without a heartbeat: the role's lease from now
               */
              leaseExpiresAt: string;
              /** @description the fields the role's submit takes (its blueprint's form), or null when it declares none */
              form:
                | {
                    key: string;
                    /** @enum {string} */
                    type: "number" | "text" | "boolean" | "choice" | "json";
                    label?: string;
                    required?: boolean;
                    choices?: (string | number | boolean)[];
                    /** @description any JSON value */
                    default?: unknown;
                  }[]
                | null;
              /** @description a JSON object */
              attributes: {
                [key: string]: unknown;
              };
              memory: {
                memoryId: string;
                key: string;
                /** @description any JSON value */
                value: unknown;
                shared: boolean;
              }[];
              /** @description OMEGA only: every unit of the set, base first */
              set?: {
                uowId: string;
                parentId: string | null;
                status: string;
                /** @description a JSON object */
                attributes: {
                  [key: string]: unknown;
                };
              }[];
            } | null;
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Show a unit with its latest attributes */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              parentId: string | null;
              workflow: string;
              status: string;
              interaction: string;
              childCount: number;
              finishedChildCount: number;
              attempt: number;
              /** @description name of the actor holding the unit */
              heldBy: string | null;
              /** @description when the current lease runs out unless renewed */
              leaseExpiresAt: string | null;
              /** Format: date-time */
              enteredInteractionAt: string;
              /** Format: date-time */
              createdAt: string;
              /** Format: date-time */
              updatedAt: string;
              /** @description actor id of the holder */
              lockedBy: string | null;
              /** @description a JSON object */
              attributes: {
                [key: string]: unknown;
              };
              /** @description ids of the children, oldest first (at most 1,000) */
              children: string[];
              /** @description the unit's nested copy in a SIGMA gateway's workflow */
              nestedCopy: string | null;
              /** @description for a nested copy: the unit waiting in the gateway */
              nestedOriginal: string | null;
              /** @description the fields the role's submit takes (its blueprint's form), or null when it declares none */
              form:
                | {
                    key: string;
                    /** @enum {string} */
                    type: "number" | "text" | "boolean" | "choice" | "json";
                    label?: string;
                    required?: boolean;
                    choices?: (string | number | boolean)[];
                    /** @description any JSON value */
                    default?: unknown;
                  }[]
                | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/history": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit trail of a unit, oldest first */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              logId: number;
              event: string;
              actorId: string;
              actorName: string;
              actorType: string;
              role: string | null;
              interaction: string | null;
              reasoning: string | null;
              /** @description any JSON value */
              details: unknown;
              /** Format: date-time */
              timestamp: string;
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/attributes/history": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of a unit's attributes, by key and version, a page at a time */
    get: {
      parameters: {
        query?: {
          key?: string;
          /** @description entries per page, 1 to 1000 (default 100) */
          limit?: string;
          /** @description attributeId of the last entry of the previous page */
          after?: string;
        };
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              attributeId: string;
              key: string;
              /** @description any JSON value */
              value: unknown;
              version: number;
              actorId: string;
              actorName: string;
              reasoning: string | null;
              /** Format: date-time */
              createdAt: string;
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/heartbeat": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Extend the lease of a held unit
     * @description With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            leaseToken: string;
            /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
            actorId?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** Format: date-time */
              leaseExpiresAt: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/submit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Submit a held unit: changed attributes, children, learning; it is routed on
     * @description A lost lease is a 409. With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            leaseToken: string;
            /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
            actorId?: string;
            /** @description attributes that changed */
            attributes?: {
              [key: string]: unknown;
            };
            reasoning?: string;
            /** @description child units to split the work into */
            children?: {
              /** @description a JSON object */
              attributes: {
                [key: string]: unknown;
              };
              reasoning?: string;
            }[];
            /** @description memory to keep once the base unit is finalized */
            learn?: {
              key: string;
              /** @description any JSON value */
              value: unknown;
              shared?: boolean;
            }[];
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              status: string;
              interaction: string;
              children?: string[];
              /**
               * @description this lease was submitted before: the first submit's result
               * @enum {boolean}
               */
              alreadyDone?: true;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/fail": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Report that a held unit could not be done; it goes down the error path
     * @description With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            leaseToken: string;
            /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
            actorId?: string;
            error: string;
            /** @description any JSON value */
            details?: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              status: string;
              interaction: string;
              /**
               * @description this lease was consumed before: the first call's result
               * @enum {boolean}
               */
              alreadyDone?: true;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/cancel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Give up on a unit (admin: any unit; an actor: one it holds as EPSILON or TAU) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the actor giving up (holding the unit as EPSILON or TAU); admin: optional */
            actorId?: string;
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              status: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give a held unit back before its lease runs out
     * @description With the admin token, name the actor in `actorId`; with an actor token, the call acts as that actor.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            leaseToken: string;
            /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
            actorId?: string;
            reason?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              status: string;
              interaction: string;
              /**
               * @description this lease was consumed before: the first call's result
               * @enum {boolean}
               */
              alreadyDone?: true;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/memory": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The memory an actor of a role is served: shared entries overlaid by its own
     * @description With the admin token, name the actor in `actorId`; an actor token reads its own.
     */
    get: {
      parameters: {
        query: {
          /** @description role name */
          role: string;
          /** @description actor id or name: required with the admin token; with an actor token it may be left out (it is the token's actor) */
          actorId?: string;
          /** @description only keys containing this text */
          query?: string;
        };
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              memoryId: string;
              key: string;
              /** @description any JSON value */
              value: unknown;
              shared: boolean;
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    /** Write a memory entry: shared by the role, or an actor's own with actorId */
    put: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            role: string;
            /** @description owner of a private entry; left out: an entry shared by the role */
            actorId?: string;
            key: string;
            /** @description any JSON value */
            value: unknown;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              memoryId: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/admin-release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give a held unit back for its holder: back where it was checked out from
     * @description Audited as the SYSTEM actor, with `details.by` naming the operator of the token and `details.reason`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description why the operator moves the unit (recorded as details.reason) */
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              status: string;
              interaction: string;
              /**
               * @description this lease was consumed before: the first call's result
               * @enum {boolean}
               */
              alreadyDone?: true;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/work/{uow}/reassign": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Hand a held unit to another actor of its role: a new lease, the old one refused from then on
     * @description Audited as the SYSTEM actor, with `details.by` naming the operator of the token and `details.reason`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
          /** @description unit id */
          uow: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the actor (id or name) to hand the unit to */
            actorId: string;
            /** @description why the operator moves the unit (recorded as details.reason) */
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              actorId: string;
              leaseToken: string;
              /** Format: date-time */
              leaseExpiresAt: string;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/bulk/cancel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a list of units, each in its own step, with a result per unit
     * @description Audited as the SYSTEM actor, with `details.by` naming the operator of the token and `details.reason`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the units to move, at most 1,000 */
            uowIds: string[];
            /** @description why the operator moves the unit (recorded as details.reason) */
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              ok: boolean;
              /** @description the unit's status after the move (ok) */
              status?: string;
              /** @description why this unit was not moved */
              error?: {
                name: string;
                message: string;
              };
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/instances/{id}/bulk/release": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Release a list of held units, each in its own step, with a result per unit
     * @description Audited as the SYSTEM actor, with `details.by` naming the operator of the token and `details.reason`.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description instance id or name */
          id: string;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          "application/json": {
            /** @description the units to move, at most 1,000 */
            uowIds: string[];
            /** @description why the operator moves the unit (recorded as details.reason) */
            reason: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              uowId: string;
              ok: boolean;
              /** @description the unit's status after the move (ok) */
              status?: string;
              /** @description why this unit was not moved */
              error?: {
                name: string;
                message: string;
              };
            }[];
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who this token is: the admin, an operator (admin or viewer), or an actor with its instance and roles */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /**
               * @description admin: every call; viewer: every GET; actor: one actor's work
               * @enum {string}
               */
              kind: "admin" | "viewer" | "actor";
              /** @description the operator's name for an admin or viewer token (the start-up token: admin) */
              operator: string | null;
              /** @description for an actor token: its instance, and the roles assigned to it */
              actor: {
                instanceId: string;
                instanceName: string;
                actorId: string;
                actorName: string;
                roles: {
                  name: string;
                  type: string;
                  workflow: string;
                }[];
              } | null;
            };
          };
        };
        /** @description Default Response */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        409: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        413: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        415: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        500: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
        /** @description Default Response */
        503: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            "application/json": {
              /** @description the error class (ValidationError, NotFoundError, ...) or code */
              error: string;
              message: string;
              issues?: {
                rule: number;
                path: string;
                line?: number;
                message: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/mcp": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Not supported (stateless MCP server): 405
     * @description MCP (Model Context Protocol) over Streamable HTTP, stateless: POST JSON-RPC messages. The tools act as the actor of the bearer token (an actor token; the admin token is refused with 403). See docs/mcp.md.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    /**
     * MCP endpoint (Streamable HTTP, stateless)
     * @description MCP (Model Context Protocol) over Streamable HTTP, stateless: POST JSON-RPC messages. The tools act as the actor of the bearer token (an actor token; the admin token is refused with 403). See docs/mcp.md.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    /**
     * Not supported (stateless MCP server): 405
     * @description MCP (Model Context Protocol) over Streamable HTTP, stateless: POST JSON-RPC messages. The tools act as the actor of the bearer token (an actor token; the admin token is refused with 403). See docs/mcp.md.
     */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/openapi.json": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This API's OpenAPI description */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;

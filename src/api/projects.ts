import { z } from 'zod';

export const projectRoleSchema = z.enum(['owner', 'member', 'viewer']);
export type ProjectRole = z.infer<typeof projectRoleSchema>;

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a project name')
  .max(80, 'Project name must be at most 80 characters');

export const groupNameSchema = z.string().trim().max(80, 'Group must be at most 80 characters');

/** IANA time zone, validated with Intl where the runtime can. */
export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone');

export const projectSchema = z.object({
  pcode: z.string(),
  name: z.string(),
  region: z.string(),
  group: z.string(),
  timezone: z.string(),
  createdAt: z.string(),
  /** The signed-in user's role in this project. */
  role: projectRoleSchema,
});
export type Project = z.infer<typeof projectSchema>;

/** GET /api/v1/projects */
export const projectListSchema = z.object({ projects: z.array(projectSchema) });

/** POST /api/v1/projects */
export const createProjectRequestSchema = z.object({
  name: projectNameSchema,
  region: z.string().min(1, 'Choose a data region'),
  group: groupNameSchema.default(''),
  timezone: timezoneSchema.default('UTC'),
});
export type CreateProjectRequest = z.input<typeof createProjectRequestSchema>;

/** PATCH /api/v1/projects/:pcode — region cannot change (the data lives there). */
export const updateProjectRequestSchema = z.object({
  name: projectNameSchema.optional(),
  group: groupNameSchema.optional(),
  timezone: timezoneSchema.optional(),
});
export type UpdateProjectRequest = z.infer<typeof updateProjectRequestSchema>;

/** GET /api/v1/projects/:pcode and the answers of POST / PATCH */
export const projectResponseSchema = z.object({ project: projectSchema });

export const memberSchema = z.object({
  userId: z.number().int(),
  username: z.string(),
  role: projectRoleSchema,
});
export type Member = z.infer<typeof memberSchema>;

/** GET /api/v1/projects/:pcode/members */
export const memberListSchema = z.object({ members: z.array(memberSchema) });

/** POST /api/v1/projects/:pcode/members — owner only; the user must exist. */
export const addMemberRequestSchema = z.object({
  username: z.string().trim().min(1),
  role: projectRoleSchema,
});
export type AddMemberRequest = z.infer<typeof addMemberRequestSchema>;

/**
 * PATCH /api/v1/projects/:pcode/members/:userId — owner only: change a member's role; answers
 * `{member}`. DELETE on the same path removes the member (204). The last owner can be neither
 * demoted nor removed (409).
 */
export const updateMemberRequestSchema = z.object({ role: projectRoleSchema });
export type UpdateMemberRequest = z.infer<typeof updateMemberRequestSchema>;
export const memberResponseSchema = z.object({ member: memberSchema });

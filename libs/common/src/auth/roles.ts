/** Organisation types of domain.md section 1. */
export enum OrganizationType {
  PROCUREMENT_OFFICE = 'PROCUREMENT_OFFICE',
  SUPPLIER = 'SUPPLIER',
  HOSPITAL = 'HOSPITAL',
  FUND = 'FUND',
}

export enum HospitalLevel {
  PRIMARY = 'PRIMARY',
  SECONDARY = 'SECONDARY',
  TERTIARY = 'TERTIARY',
}

/** The four roles; a user's role is its organisation's type. */
export enum Role {
  ADMIN = 'ADMIN',
  SUPPLIER = 'SUPPLIER',
  HOSPITAL = 'HOSPITAL',
  FUND = 'FUND',
}

export function roleOf(type: OrganizationType): Role {
  switch (type) {
    case OrganizationType.PROCUREMENT_OFFICE:
      return Role.ADMIN;
    case OrganizationType.SUPPLIER:
      return Role.SUPPLIER;
    case OrganizationType.HOSPITAL:
      return Role.HOSPITAL;
    case OrganizationType.FUND:
      return Role.FUND;
  }
}

/** Who is calling: carried in the JWT. */
export interface Principal {
  userId: number;
  username: string;
  organizationId: number;
  role: Role;
}
